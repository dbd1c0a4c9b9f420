using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using CertGuard.Policy;
using CertGuard.Sources;
using CertGuard.Tests.Inspection.Revocation;

namespace CertGuard.Tests;

public sealed class CertificateScannerRevocationTests : IAsyncLifetime
{
    private RevocationTestServer _server = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _server = await RevocationTestServer.StartAsync();
        _directory = Directory.CreateTempSubdirectory("certguard-revocation-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Scanning_a_file_with_revocation_online_finds_a_revoked_certificate_unhealthy()
    {
        var leaf = _server.IssueLeaf("revoked.test");
        _server.Revoke(leaf, DateTimeOffset.UtcNow.AddHours(-6), Org.BouncyCastle.Asn1.X509.CrlReason.KeyCompromise);
        var path = WriteFullChain(leaf);
        using var checker = new OcspCrlRevocationChecker();
        var scanner = new CertificateScanner(revocationChecker: checker);

        var scan = await scanner.ScanAsync(new FileCertificateSource(path) { Revocation = RevocationCheckMode.Online });

        var report = scan.Reports[0];
        var revoked = Assert.Single(report.Findings, f => f.Id == FindingIds.Revoked);
        Assert.Equal(FindingSeverity.Critical, revoked.Severity);
        Assert.Contains("keyCompromise", revoked.Message, StringComparison.Ordinal);
        Assert.Contains(_server.OcspUrl, revoked.Message, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task Scanning_a_file_checks_no_revocation_by_default()
    {
        var leaf = _server.IssueLeaf("revoked.test");
        _server.Revoke(leaf, DateTimeOffset.UtcNow.AddHours(-6), 1);
        using var checker = new OcspCrlRevocationChecker();
        var scanner = new CertificateScanner(revocationChecker: checker);

        var scan = await scanner.ScanAsync(new FileCertificateSource(WriteFullChain(leaf)));

        Assert.Null(scan.Reports[0].Facts.Revocation);
        Assert.DoesNotContain(scan.Reports[0].Findings, f => f.Id == FindingIds.Revoked);
        Assert.Equal((0, 0), (_server.OcspRequests, _server.CrlRequests));
    }

    [Fact]
    public async Task A_responder_that_is_down_makes_a_revocation_unknown_warning_not_an_outage()
    {
        _server.OcspOverride = context =>
        {
            context.Response.StatusCode = 502;
            return Task.CompletedTask;
        };
        _server.CrlOverride = _server.OcspOverride;
        using var checker = new OcspCrlRevocationChecker();
        var scanner = new CertificateScanner(revocationChecker: checker);

        var scan = await scanner.ScanAsync(new FileCertificateSource(WriteFullChain(_server.IssueLeaf())) { Revocation = RevocationCheckMode.Online });

        var unknown = Assert.Single(scan.Reports[0].Findings, f => f.Id == FindingIds.RevocationUnknown);
        Assert.Equal(FindingSeverity.Warning, unknown.Severity);
        Assert.Contains("answered HTTP 502", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.Degraded, scan.Reports[0].Status);
    }

    private string WriteFullChain(System.Security.Cryptography.X509Certificates.X509Certificate2 leaf)
    {
        var path = Path.Combine(_directory, "fullchain.pem");
        File.WriteAllText(path, leaf.ExportCertificatePem() + "\n" + _server.Pki.Certificate.ExportCertificatePem() + "\n");
        return path;
    }
}
