using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using CertGuard.Policy;
using CertGuard.Sources;
using CertGuard.Tests.Inspection.Revocation;

namespace CertGuard.Tests;

/// <summary>
/// A private CA's leaves are deployed without the CA (it is a trust anchor, not part of the chain they present), and the
/// CA is in no system store: the revocation check must find the issuer among the trust anchors the caller gave.
/// </summary>
public sealed class CertificateScannerTrustAnchorRevocationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private RevocationTestServer _server = null!;

    public async Task InitializeAsync() => _server = await RevocationTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_revoked_leaf_of_a_private_ca_given_as_trust_is_revoked_and_unhealthy()
    {
        using var leaf = _server.IssueLeaf("revoked.internal.test");
        _server.Revoke(leaf, DateTimeOffset.UtcNow.AddHours(-2), Org.BouncyCastle.Asn1.X509.CrlReason.KeyCompromise);

        var report = Assert.Single((await ScanAsync(leaf)).Reports);

        var revoked = Assert.Single(report.Findings, f => f.Id == FindingIds.Revoked);
        Assert.Equal(FindingSeverity.Critical, revoked.Severity);
        Assert.DoesNotContain(report.Findings, f => f.Id == FindingIds.RevocationUnknown);
        Assert.Equal(CertificateStatus.Unhealthy, report.Status);
        Assert.Equal(1, _server.OcspRequests);
    }

    [Fact]
    public async Task A_good_leaf_of_a_private_ca_given_as_trust_draws_no_revocation_finding()
    {
        using var leaf = _server.IssueLeaf("good.internal.test");

        var report = Assert.Single((await ScanAsync(leaf)).Reports);

        Assert.Equal(RevocationStatus.Good, report.Facts.Revocation?.Status);
        Assert.Empty(report.Findings);
        Assert.Equal(CertificateStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task The_crl_alone_finds_the_revoked_leaf_through_the_trust_anchor()
    {
        using var leaf = _server.IssueLeaf("crl-only.internal.test", ocsp: false);
        _server.Revoke(leaf, DateTimeOffset.UtcNow.AddHours(-2), Org.BouncyCastle.Asn1.X509.CrlReason.Superseded);

        var report = Assert.Single((await ScanAsync(leaf)).Reports);

        Assert.Equal(FindingSeverity.Critical, Assert.Single(report.Findings, f => f.Id == FindingIds.Revoked).Severity);
        Assert.Equal((0, 1), (_server.OcspRequests, _server.CrlRequests));
    }

    [Fact]
    public async Task With_the_responders_down_the_status_is_unknown_and_no_longer_blames_a_missing_issuer()
    {
        _server.OcspOverride = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        _server.CrlOverride = _server.OcspOverride;
        using var leaf = _server.IssueLeaf("down.internal.test");

        var report = Assert.Single((await ScanAsync(leaf)).Reports);

        var unknown = Assert.Single(report.Findings);
        Assert.Equal((FindingIds.RevocationUnknown, FindingSeverity.Warning), (unknown.Id, unknown.Severity));
        Assert.Contains("answered HTTP 503", unknown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("issuer certificate not available", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.Degraded, report.Status);
    }

    [Fact]
    public async Task Without_the_trust_anchor_the_issuer_is_still_reported_missing()
    {
        using var leaf = _server.IssueLeaf("untrusted.internal.test");

        var report = Assert.Single((await ScanAsync(leaf, ChainTrust.None)).Reports);

        Assert.Contains("issuer certificate not available", Assert.Single(report.Findings).Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.OcspRequests + _server.CrlRequests);
    }

    private async Task<SourceScan> ScanAsync(X509Certificate2 leaf, ChainTrust? trust = null)
    {
        var path = _dir.Write($"{Guid.NewGuid():N}.pem", leaf.ExportCertificatePem());
        using var checker = new OcspCrlRevocationChecker();
        var scanner = new CertificateScanner(revocationChecker: checker);
        return await scanner.ScanAsync(new FileCertificateSource(path)
        {
            Trust = trust ?? ChainTrust.Custom([_server.Pki.Certificate]),
            Revocation = RevocationCheckMode.Online,
        });
    }
}
