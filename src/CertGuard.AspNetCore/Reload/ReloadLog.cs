using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.Reload;

/// <summary>The reloader's log messages, with fixed event ids.</summary>
internal static partial class ReloadLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Serving certificate {Thumbprint} ({Subject}, expires {NotAfter:O}) from {Files} for {ServerNames}")]
    public static partial void Loaded(ILogger logger, string thumbprint, string subject, DateTimeOffset notAfter, string files, string serverNames);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Refused to reload the certificate for {ServerNames} ({Reason}): {Problem}. Still serving {Thumbprint}, which expires {NotAfter:O}")]
    public static partial void Rejected(ILogger logger, string serverNames, string reason, string problem, string thumbprint, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Cannot watch {Directory} for certificate changes ({Error}); changes are still found every {Interval}")]
    public static partial void WatchFailed(ILogger logger, string directory, string error, TimeSpan interval);

}
