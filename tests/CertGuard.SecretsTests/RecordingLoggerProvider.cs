using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace CertGuard.SecretsTests;

/// <summary>
/// A real logger provider that keeps everything logged at every level: the formatted message, the exception's
/// <see cref="Exception.ToString"/>, every structured state value and every scope value, since a sink such as a JSON
/// console or OpenTelemetry writes those too.
/// </summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<RecordedLog> _records = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<RecordedLog> Records => [.. _records];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<string>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                values.AddRange(pairs.Select(p => $"{p.Key}={Describe(p.Value)}"));
            }

            provider._scopes.ForEachScope((scope, list) => list.Add($"scope: {Describe(scope)}"), values);
            provider._records.Enqueue(new RecordedLog(category, logLevel, eventId, formatter(state, exception), exception?.ToString(), values));
        }

        private static string Describe(object? value) => value switch
        {
            null => "null",
            string text => text,
            IEnumerable<KeyValuePair<string, object?>> pairs => string.Join(", ", pairs.Select(p => $"{p.Key}={Describe(p.Value)}")),
            System.Collections.IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Describe)),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
    }
}
