using System.Text.Json;

namespace CertGuard.AspNetCore.Tests.Fixtures;

/// <summary>The <c>kestrel-certificates</c> entry of /health/details, read as a person reads it.</summary>
public sealed class HealthDetails(JsonElement entry)
{
    /// <summary>The entry's status.</summary>
    public string Status => entry.GetProperty("status").GetString()!;

    /// <summary>The entry's description.</summary>
    public string Description => entry.GetProperty("description").GetString() ?? string.Empty;

    /// <summary>Every certificate report.</summary>
    public IReadOnlyList<JsonElement> Certificates => [.. entry.GetProperty("data").GetProperty("certificates").EnumerateArray()];

    /// <summary>Every load error, as "location: message".</summary>
    public IReadOnlyList<string> Errors => [.. entry.GetProperty("data").GetProperty("errors").EnumerateArray().Select(e => $"{e.GetProperty("location").GetString()}: {e.GetProperty("message").GetString()}")];

    /// <summary>The reports of what an address serves (the handshake source), by location.</summary>
    public IReadOnlyList<JsonElement> Served => [.. Certificates.Where(c => c.GetProperty("name").GetString()!.StartsWith("served:", StringComparison.Ordinal))];

    /// <summary>The reports of what the reloader serves.</summary>
    public IReadOnlyList<JsonElement> Reloader => [.. Certificates.Where(c => c.GetProperty("name").GetString()!.StartsWith("reloader:", StringComparison.Ordinal))];

    /// <summary>The finding ids of a report.</summary>
    public static IReadOnlyList<string> FindingIds(JsonElement report) => [.. report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()!)];

    /// <summary>The message of a report's finding, or null.</summary>
    public static string? FindingMessage(JsonElement report, string id) =>
        report.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("id").GetString() == id).Select(f => f.GetProperty("message").GetString()).FirstOrDefault();

    /// <summary>A report's SHA-256 thumbprint.</summary>
    public static string Thumbprint(JsonElement report) => report.GetProperty("thumbprint").GetString()!;

    /// <summary>A report's location.</summary>
    public static string Location(JsonElement report) => report.GetProperty("location").GetString()!;

    /// <summary>Every finding id of every report.</summary>
    public IReadOnlyList<string> AllFindingIds => [.. Certificates.SelectMany(FindingIds)];

    /// <inheritdoc />
    public override string ToString() => entry.ToString();
}
