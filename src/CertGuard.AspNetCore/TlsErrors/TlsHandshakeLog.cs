using CertGuard.Display;
using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.TlsErrors;

/// <summary>The handshake failure log messages, with fixed event ids. The server name is the peer's: escaped before it is logged.</summary>
internal static partial class TlsHandshakeLog
{
    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "{Count} TLS handshake(s) failed ({Reason}) since {Since:O}; the latest asked for server name '{ServerName}'")]
    private static partial void WriteFailures(ILogger logger, long count, string reason, DateTimeOffset since, string serverName);

    public static void Failures(ILogger logger, long count, string reason, DateTimeOffset since, string serverName) =>
        WriteFailures(logger, count, DisplayText.Escape(reason), since, DisplayText.Escape(serverName));
}
