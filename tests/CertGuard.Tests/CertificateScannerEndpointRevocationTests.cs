using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection.Revocation;
using CertGuard.Policy;
using CertGuard.Sources;
using CertGuard.Tests.Inspection.Revocation;
using CertGuard.Tests.TestSupport;

namespace CertGuard.Tests;

public sealed class CertificateScannerEndpointRevocationTests
{
    [Fact]
    public async Task An_endpoint_serving_a_revoked_certificate_is_unhealthy_with_revocation_on_by_default()
    {
        // Issued by a root, which TLS servers do not send: the issuer comes from the AIA CA Issuers URL.
        await using var responder = await RevocationTestServer.StartAsync();
        using var served = responder.Pki.IssueServerCertificate("revoked.test", [responder.OcspUrl], [responder.CrlUrl], [responder.CaIssuersUrl]);
        responder.Revoke(served, DateTimeOffset.UtcNow.AddHours(-1), Org.BouncyCastle.Asn1.X509.CrlReason.KeyCompromise);
        await using var tls = await LoopbackTlsServer.StartAsync(served, responder.Pki.Certificate);
        using var checker = new OcspCrlRevocationChecker();
        var source = new TlsEndpointCertificateSource("127.0.0.1", tls.Port, serverName: "revoked.test");

        var scan = await new CertificateScanner(revocationChecker: checker).ScanAsync(source);

        var report = Assert.Single(scan.Reports);
        Assert.Contains(report.Findings, f => f.Id == FindingIds.Revoked && f.Severity == FindingSeverity.Critical);
        Assert.Equal(CertificateStatus.Unhealthy, report.Status);
        Assert.Equal(1, responder.OcspRequests);
    }
}
