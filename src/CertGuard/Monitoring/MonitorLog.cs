using CertGuard.Display;
using Microsoft.Extensions.Logging;

namespace CertGuard.Monitoring;

/// <summary>
/// The monitor's log messages, with fixed event ids that alerting on logs can rely on. Names, locations and reasons
/// come from configuration, files and certificates, so each public method escapes them (<see cref="DisplayText"/>)
/// before they reach a console.
/// </summary>
internal static partial class MonitorLog
{
    [LoggerMessage(EventId = 1001, EventName = "CertificateDegraded", Level = LogLevel.Warning,
        Message = "Certificate source '{SourceName}' ({Location}) is Degraded: {Reason}")]
    private static partial void WriteDegraded(ILogger logger, string sourceName, string location, string reason);

    public static void Degraded(ILogger logger, string sourceName, string location, string reason) => WriteDegraded(logger, DisplayText.Escape(sourceName), DisplayText.Escape(location), DisplayText.Escape(reason));

    [LoggerMessage(EventId = 1002, EventName = "CertificateUnhealthy", Level = LogLevel.Error,
        Message = "Certificate source '{SourceName}' ({Location}) is Unhealthy: {Reason}")]
    private static partial void WriteUnhealthy(ILogger logger, string sourceName, string location, string reason);

    public static void Unhealthy(ILogger logger, string sourceName, string location, string reason) => WriteUnhealthy(logger, DisplayText.Escape(sourceName), DisplayText.Escape(location), DisplayText.Escape(reason));

    [LoggerMessage(EventId = 1003, EventName = "CertificateHealthy", Level = LogLevel.Information,
        Message = "Certificate source '{SourceName}' ({Location}) is Healthy again")]
    private static partial void WriteRecovered(ILogger logger, string sourceName, string location);

    public static void Recovered(ILogger logger, string sourceName, string location) => WriteRecovered(logger, DisplayText.Escape(sourceName), DisplayText.Escape(location));

    [LoggerMessage(EventId = 1004, EventName = "RefreshFailed", Level = LogLevel.Warning,
        Message = "Certificate source '{SourceName}' ({Location}) could not be refreshed; keeping the result from {RefreshedAt:O}: {Reason}")]
    private static partial void WriteRefreshFailed(ILogger logger, string sourceName, string location, DateTimeOffset refreshedAt, string reason);

    public static void RefreshFailed(ILogger logger, string sourceName, string location, DateTimeOffset refreshedAt, string reason) => WriteRefreshFailed(logger, DisplayText.Escape(sourceName), DisplayText.Escape(location), refreshedAt, DisplayText.Escape(reason));

    [LoggerMessage(EventId = 1005, EventName = "SourceRefreshed", Level = LogLevel.Debug,
        Message = "Certificate source '{SourceName}' refreshed in {DurationMs:0.#} ms: {ReportCount} certificate(s), {ErrorCount} error(s), {Status}")]
    private static partial void WriteRefreshed(ILogger logger, string sourceName, double durationMs, int reportCount, int errorCount, string status);

    public static void Refreshed(ILogger logger, string sourceName, double durationMs, int reportCount, int errorCount, string status) => WriteRefreshed(logger, DisplayText.Escape(sourceName), durationMs, reportCount, errorCount, status);

    [LoggerMessage(EventId = 1006, EventName = "WatchedFileChanged", Level = LogLevel.Debug,
        Message = "A watched file of certificate source '{SourceName}' changed; refreshing")]
    private static partial void WriteFileChanged(ILogger logger, string sourceName);

    public static void FileChanged(ILogger logger, string sourceName) => WriteFileChanged(logger, DisplayText.Escape(sourceName));

    [LoggerMessage(EventId = 1007, EventName = "WatchFailed", Level = LogLevel.Debug,
        Message = "Cannot listen for changes in '{Directory}' ({Error}); relying on the fingerprint poll")]
    private static partial void WriteWatchFailed(ILogger logger, string directory, string error);

    public static void WatchFailed(ILogger logger, string directory, string error) => WriteWatchFailed(logger, DisplayText.Escape(directory), DisplayText.Escape(error));

    [LoggerMessage(EventId = 1008, EventName = "MonitorStarted", Level = LogLevel.Information,
        Message = "Certificate monitor started: {SourceCount} source(s), refreshed every {RefreshInterval}")]
    public static partial void Started(ILogger logger, int sourceCount, TimeSpan refreshInterval);

    [LoggerMessage(EventId = 1009, EventName = "RefreshLoopFailed", Level = LogLevel.Critical,
        Message = "The refresh loop of certificate source '{SourceName}' failed; keeping its last result, marked stale, and retrying in {Backoff}")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string sourceName, TimeSpan backoff);

    [LoggerMessage(EventId = 1010, EventName = "ConfigurationRejected", Level = LogLevel.Error,
        Message = "A configuration change of health check '{CheckName}' was rejected; the last valid configuration stays in force: {Problems}")]
    public static partial void ConfigurationRejected(ILogger logger, string checkName, string problems);

    [LoggerMessage(EventId = 1011, EventName = "ConfigurationApplied", Level = LogLevel.Information,
        Message = "A configuration change of health check '{CheckName}' was applied: {Added} source(s) added or changed, {Removed} removed or replaced")]
    public static partial void ConfigurationApplied(ILogger logger, string checkName, int added, int removed);

    [LoggerMessage(EventId = 1012, EventName = "WatchUnavailable", Level = LogLevel.Error,
        Message = "Cannot watch the files of certificate source '{SourceName}'; it is refreshed every {RefreshInterval} only")]
    public static partial void WatchUnavailable(ILogger logger, Exception exception, string sourceName, TimeSpan refreshInterval);
}
