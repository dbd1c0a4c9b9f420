using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.TlsErrors;
using Microsoft.Extensions.Logging.Testing;

namespace CertGuard.AspNetCore.Tests.Logging;

/// <summary>What peers send (SNI names) and what certificates and files hold (subjects, paths) reach log text escaped.</summary>
public sealed class LogEscapingTests
{
    private const string Attack = "\u001b]0;PWNED\u0007\u001b[2J";
    private const string AttackShown = "\\x1b]0;PWNED\\x07\\x1b[2J";
    private readonly FakeLogger _logger = new();

    [Fact]
    public void A_server_name_sent_by_a_peer_is_escaped_in_the_handshake_warning()
    {
        TlsHandshakeLog.Failures(_logger, 1, "no-certificate", DateTimeOffset.UnixEpoch, "x" + Attack);

        var message = Assert.Single(_logger.Collector.GetSnapshot()).Message;
        Assert.Contains($"server name 'x{AttackShown}'", message);
        Assert.DoesNotContain(message, c => c < ' ');
    }

    [Fact]
    public void A_subject_and_files_are_escaped_in_the_reload_messages()
    {
        ReloadLog.Loaded(_logger, "AB12", "CN=a\u202etxt.exe", DateTimeOffset.UnixEpoch, "/certs/" + Attack + ".pem", "api.test");
        ReloadLog.Rejected(_logger, "api.test", "Corrupt", "/certs/" + Attack + ".pem is not a certificate", "AB12", DateTimeOffset.UnixEpoch);
        ReloadLog.WatchFailed(_logger, "/certs/" + Attack, "IOException", TimeSpan.FromSeconds(30));

        var messages = _logger.Collector.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Equal(3, messages.Count);
        Assert.Contains("(CN=a\\u202etxt.exe, expires", messages[0]);
        Assert.Contains($"from /certs/{AttackShown}.pem for api.test", messages[0]);
        Assert.Contains($"/certs/{AttackShown}.pem is not a certificate", messages[1]);
        Assert.Contains($"Cannot watch /certs/{AttackShown} for", messages[2]);
        Assert.All(messages, m => Assert.DoesNotContain(m, c => c < ' ' || c == '\u202e'));
    }
}
