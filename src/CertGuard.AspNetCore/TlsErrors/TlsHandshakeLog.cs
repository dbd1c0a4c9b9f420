using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.TlsErrors;

/// <summary>The handshake failure log messages, with fixed event ids.</summary>
internal static partial class TlsHandshakeLog
{
    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "{Count} TLS handshake(s) failed ({Reason}) since {Since:O}; the latest asked for server name '{ServerName}'")]
    public static partial void Failures(ILogger logger, long count, string reason, DateTimeOffset since, string serverName);
}
