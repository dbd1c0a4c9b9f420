using System.Net.Sockets;
using System.Security.Authentication;
using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.Tests.Sources;

public sealed class TlsFailureDescriptionTests
{
    [Theory]
    [InlineData(SocketError.HostNotFound, LoadErrorReason.ConnectionFailed, "name not resolved")]
    [InlineData(SocketError.TryAgain, LoadErrorReason.ConnectionFailed, "name not resolved")]
    [InlineData(SocketError.NoData, LoadErrorReason.ConnectionFailed, "name not resolved")]
    [InlineData(SocketError.ConnectionRefused, LoadErrorReason.ConnectionFailed, "connection refused")]
    [InlineData(SocketError.ConnectionReset, LoadErrorReason.ConnectionFailed, "connection reset")]
    [InlineData(SocketError.NetworkUnreachable, LoadErrorReason.ConnectionFailed, "unreachable")]
    [InlineData(SocketError.HostUnreachable, LoadErrorReason.ConnectionFailed, "unreachable")]
    [InlineData(SocketError.TimedOut, LoadErrorReason.Timeout, "timed out")]
    [InlineData(SocketError.AccessDenied, LoadErrorReason.ConnectionFailed, "AccessDenied")]
    public void Names_the_connect_failure(SocketError error, LoadErrorReason reason, string words)
    {
        var (actualReason, message) = TlsFailureDescription.OfConnect(new SocketException((int)error), "example.com:443");

        Assert.Equal(reason, actualReason);
        Assert.Contains(words, message, StringComparison.Ordinal);
        Assert.Contains("example.com", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reset_during_the_handshake_is_a_failed_connection()
    {
        var exception = new IOException("Unable to read data from the transport connection", new SocketException((int)SocketError.ConnectionReset));

        var (reason, message) = TlsFailureDescription.OfHandshake(exception);

        Assert.Equal(LoadErrorReason.ConnectionFailed, reason);
        Assert.Contains("reset", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handshake_message_over_the_clients_limit_says_the_chain_is_too_large()
    {
        // What .NET on Linux throws when OpenSSL refuses a certificate message over its limit (100 KiB by default).
        var inner = new InvalidOperationException("SSL Handshake failed with OpenSSL error - SSL_ERROR_SSL: error:0A000098:SSL routines::excessive message size");
        var exception = new AuthenticationException("Authentication failed, see inner exception.", inner);

        var (reason, message) = TlsFailureDescription.OfHandshake(exception);

        Assert.Equal(LoadErrorReason.HandshakeFailed, reason);
        Assert.StartsWith("the server sent a handshake message larger than the TLS client accepts", message, StringComparison.Ordinal);
        Assert.Contains("certificate chain", message, StringComparison.Ordinal);
        Assert.Contains("excessive message size", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_the_message_chain_on_one_bounded_line_without_repeating_itself()
    {
        var inner = new InvalidOperationException("line one\r\nline two\u0000" + new string('x', 1000));
        var exception = new AuthenticationException("Authentication failed, see inner exception.", inner);

        var (reason, message) = TlsFailureDescription.OfHandshake(exception);

        Assert.Equal(LoadErrorReason.HandshakeFailed, reason);
        Assert.StartsWith("the TLS handshake failed (Authentication failed: line one  line two", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\0', message);
        Assert.DoesNotContain("see inner exception", message, StringComparison.Ordinal);
        Assert.True(message.Length < 400, message);
    }
}
