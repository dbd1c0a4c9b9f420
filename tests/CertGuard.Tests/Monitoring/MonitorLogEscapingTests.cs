using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Monitoring;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;

namespace CertGuard.Tests.Monitoring;

/// <summary>Source names, locations and subjects reach the log message text with their control characters escaped.</summary>
public sealed class MonitorLogEscapingTests
{
    private const string Attack = "\u001b]0;PWNED\u0007\u001b[2J";
    private const string AttackShown = "\\x1b]0;PWNED\\x07\\x1b[2J";

    [Fact]
    public async Task A_hostile_subject_and_source_name_are_escaped_in_the_degraded_message()
    {
        var clock = MonitorFactory.Clock();
        var logger = new FakeLogger<CertificateMonitor>();
        using var certificate = Mint("evil" + Attack + "\u202etxt.exe", clock.GetUtcNow().AddDays(10));
        using var monitor = MonitorFactory.Create(clock, [new CountingSource("web" + Attack, certificate)], logger: logger);

        await monitor.RefreshAsync();

        var degraded = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 1001);
        Assert.Contains($"'web{AttackShown}' (test:web{AttackShown})", degraded.Message);
        Assert.Contains($"evil{AttackShown}\\u202etxt.exe", degraded.Message);
        Assert.DoesNotContain(degraded.Message, c => c < ' ' || c == '\u202e');
    }

    private static X509Certificate2 Mint(string commonName, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notAfter.AddDays(-90), notAfter);
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }
}
