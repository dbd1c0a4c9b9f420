using CertGuard.Display;
using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.Reload;

/// <summary>
/// The reloader's log messages, with fixed event ids. Subjects, paths and problems come from certificates and files,
/// so each public method escapes them (<see cref="DisplayText"/>) before they reach a console.
/// </summary>
internal static partial class ReloadLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Serving certificate {Thumbprint} ({Subject}, expires {NotAfter:O}) from {Files} for {ServerNames}")]
    private static partial void WriteLoaded(ILogger logger, string thumbprint, string subject, DateTimeOffset notAfter, string files, string serverNames);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Refused to reload the certificate for {ServerNames} ({Reason}): {Problem}. Still serving {Thumbprint}, which expires {NotAfter:O}")]
    private static partial void WriteRejected(ILogger logger, string serverNames, string reason, string problem, string thumbprint, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Cannot watch {Directory} for certificate changes ({Error}); changes are still found every {Interval}")]
    private static partial void WriteWatchFailed(ILogger logger, string directory, string error, TimeSpan interval);

    public static void Loaded(ILogger logger, string thumbprint, string subject, DateTimeOffset notAfter, string files, string serverNames) =>
        WriteLoaded(logger, thumbprint, DisplayText.Escape(subject), notAfter, DisplayText.Escape(files), DisplayText.Escape(serverNames));

    public static void Rejected(ILogger logger, string serverNames, string reason, string problem, string thumbprint, DateTimeOffset notAfter) =>
        WriteRejected(logger, DisplayText.Escape(serverNames), reason, DisplayText.Escape(problem), thumbprint, notAfter);

    public static void WatchFailed(ILogger logger, string directory, string error, TimeSpan interval) =>
        WriteWatchFailed(logger, DisplayText.Escape(directory), DisplayText.Escape(error), interval);
}
