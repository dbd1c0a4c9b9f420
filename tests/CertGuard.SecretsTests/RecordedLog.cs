using Microsoft.Extensions.Logging;

namespace CertGuard.SecretsTests;

/// <summary>One log entry as a sink would see it.</summary>
internal sealed record RecordedLog(string Category, LogLevel Level, EventId EventId, string Message, string? Exception, IReadOnlyList<string> StateValues)
{
    /// <summary>Everything a sink could write: category, event, message, exception and structured values.</summary>
    public string Text => $"[{Level}] {Category} ({EventId.Id} {EventId.Name}): {Message}\n{Exception}\n{string.Join("\n", StateValues)}";
}
