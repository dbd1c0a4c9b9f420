using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using CertGuard.Loading;

namespace CertGuard.Sources;

/// <summary>Turns the exceptions of a connect or a handshake into a load error reason and a message a person can act on.</summary>
internal static class TlsFailureDescription
{
    private const int MaximumDetailLength = 300;

    public static (LoadErrorReason Reason, string Message) OfConnect(SocketException exception, string target) => exception.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain
            => (LoadErrorReason.ConnectionFailed, $"name not resolved: '{target}' has no address"),
        SocketError.ConnectionRefused
            => (LoadErrorReason.ConnectionFailed, $"connection refused by {target}: nothing listens on that port"),
        SocketError.ConnectionReset or SocketError.ConnectionAborted
            => (LoadErrorReason.ConnectionFailed, $"connection reset by {target} while connecting"),
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.HostDown or SocketError.NetworkDown or SocketError.AddressNotAvailable
            => (LoadErrorReason.ConnectionFailed, $"{target} is unreachable ({exception.SocketErrorCode})"),
        SocketError.TimedOut
            => (LoadErrorReason.Timeout, $"connect to {target} timed out in the operating system"),
        _ => (LoadErrorReason.ConnectionFailed, $"cannot connect to {target} ({exception.SocketErrorCode})"),
    };

    public static (LoadErrorReason Reason, string Message) OfHandshake(Exception exception)
    {
        if (Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown })
        {
            return (LoadErrorReason.ConnectionFailed, "connection reset by the server during the TLS handshake");
        }

        var detail = Describe(exception);
        if (exception is IOException && exception.InnerException is null && Find<AuthenticationException>(exception) is null)
        {
            // Typically "unexpected EOF or 0 bytes": the server closed the connection without a word.
            return (LoadErrorReason.HandshakeFailed, $"the server closed the connection during the TLS handshake: not a TLS server, or it rejected the client hello ({detail})");
        }

        // "excessive message size": OpenSSL refuses a certificate list over 100 KiB (its default) before parsing it,
        // as every OpenSSL-based client of the server would.
        var hint = detail.Contains("alert", StringComparison.OrdinalIgnoreCase)
            ? "the server sent a TLS alert"
            : detail.Contains("frame", StringComparison.OrdinalIgnoreCase)
                ? "not a TLS server: it answered with something that is not TLS"
                : detail.Contains("excessive message size", StringComparison.OrdinalIgnoreCase)
                    ? "the server sent a handshake message larger than the TLS client accepts, typically a certificate chain over 100 KiB"
                    : "the TLS handshake failed";
        return (LoadErrorReason.HandshakeFailed, $"{hint} ({detail})");
    }

    /// <summary>The messages of an exception and its inner exceptions, without repetition, on one bounded line.</summary>
    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var message = OneLine(current.Message);
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        var text = string.Join(": ", messages);
        return text.Length <= MaximumDetailLength ? text : string.Concat(text.AsSpan(0, MaximumDetailLength), "...");
    }

    private static string OneLine(string message)
    {
        // The platform's messages describe the failure, never the peer's bytes; this only keeps them on one clean line.
        var builder = new StringBuilder(message.Length);
        foreach (var c in message)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        // "Authentication failed, see inner exception" points at the next message, which follows anyway.
        return builder.ToString().Replace(", see inner exception", string.Empty, StringComparison.Ordinal).Trim().TrimEnd('.');
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
