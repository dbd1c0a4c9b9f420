using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using CertGuard.Policy;
using Microsoft.AspNetCore.Http;

namespace CertGuard.Tests.Inspection.Revocation;

public sealed class CrlRevocationTests : IAsyncLifetime
{
    private RevocationTestServer _server = null!;

    public async Task InitializeAsync() => _server = await RevocationTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_fresh_CRL_without_the_serial_is_good()
    {
        _server.Revoke(_server.IssueLeaf("other.test"), DateTimeOffset.UtcNow.AddDays(-2), 1);

        var facts = await CheckAsync(_server.IssueLeaf(ocsp: false));

        Assert.Equal(RevocationStatus.Good, facts.Status);
        Assert.Equal($"crl {_server.CrlUrl}", facts.Source);
        Assert.False(facts.IsStale);
        Assert.True(facts.NextUpdate > DateTimeOffset.UtcNow);
        Assert.Empty(facts.Problems);
        Assert.Equal(1, _server.CrlRequests);
    }

    [Fact]
    public async Task A_CRL_listing_the_serial_says_revoked_with_time_and_reason()
    {
        var leaf = _server.IssueLeaf(ocsp: false);
        var revokedAt = new DateTimeOffset(DateTime.UtcNow.AddDays(-3).Date.AddHours(8), TimeSpan.Zero);
        _server.Revoke(leaf, revokedAt, Org.BouncyCastle.Asn1.X509.CrlReason.CessationOfOperation);

        var facts = await CheckAsync(leaf);

        Assert.Equal(RevocationStatus.Revoked, facts.Status);
        Assert.Equal(revokedAt, facts.RevokedAt);
        Assert.Equal("cessationOfOperation", facts.RevocationReason);
    }

    [Fact]
    public async Task A_stale_CRL_still_answers_but_is_marked_stale_and_gives_a_crl_stale_warning()
    {
        _server.CrlNextUpdate = TimeSpan.FromDays(-2);
        var good = _server.IssueLeaf("good.test", ocsp: false);
        var revoked = _server.IssueLeaf("revoked.test", ocsp: false);
        _server.Revoke(revoked, DateTimeOffset.UtcNow.AddDays(-5), 1);

        var goodFacts = await CheckAsync(good);
        var revokedFacts = await CheckAsync(revoked);

        Assert.Equal((RevocationStatus.Good, true), (goodFacts.Status, goodFacts.IsStale));
        Assert.Equal((RevocationStatus.Revoked, true), (revokedFacts.Status, revokedFacts.IsStale));
        var (_, inspected) = RevocationTestCertificate.Prepare(good, _server.Pki.Certificate);
        var findings = new CertificatePolicy().Evaluate(inspected with { Revocation = goodFacts }, DateTimeOffset.UtcNow);
        var stale = Assert.Single(findings);
        Assert.Equal((FindingIds.CrlStale, FindingSeverity.Warning), (stale.Id, stale.Severity));
    }

    [Fact]
    public async Task A_PEM_encoded_CRL_is_read_too()
    {
        var leaf = _server.IssueLeaf(ocsp: false);
        _server.Revoke(leaf, DateTimeOffset.UtcNow.AddDays(-1), 1);
        using var client = new HttpClient();
        var der = await client.GetByteArrayAsync(new Uri(_server.CrlUrl));
        var pem = System.Text.Encoding.ASCII.GetBytes(new string(System.Security.Cryptography.PemEncoding.Write("X509 CRL", der)));
        _server.CrlOverride = context => context.Response.Body.WriteAsync(pem).AsTask();

        var facts = await CheckAsync(leaf);

        Assert.Equal(RevocationStatus.Revoked, facts.Status);
    }

    [Fact]
    public async Task A_corrupt_CRL_gives_unknown()
    {
        _server.CrlOverride = context => context.Response.Body.WriteAsync(new byte[] { 0x30, 0x82, 0x10, 0x00, 0x30, 0x01, 0x02 }).AsTask();

        var facts = await CheckAsync(_server.IssueLeaf(ocsp: false));

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains($"CRL {_server.CrlUrl} is not a valid CRL", facts.Problems);
    }

    [Fact]
    public async Task A_CRL_signed_by_another_key_is_not_trusted_even_when_it_lists_the_serial()
    {
        var leaf = _server.IssueLeaf(ocsp: false);
        _server.Revoke(leaf, DateTimeOffset.UtcNow.AddDays(-1), 1);
        _server.CrlSignedByUnrelatedKey = true;

        var facts = await CheckAsync(leaf);

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains($"CRL {_server.CrlUrl} is not signed by the certificate's issuer", facts.Problems);
    }

    [Fact]
    public async Task A_CRL_larger_than_the_limit_is_not_downloaded_whole()
    {
        _server.CrlOverride = context => context.Response.Body.WriteAsync(new byte[200_000]).AsTask();

        var facts = await CheckAsync(_server.IssueLeaf(ocsp: false), new RevocationCheckerOptions { MaxCrlSize = 100_000 });

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains(facts.Problems, p => p.StartsWith($"CRL server {_server.CrlUrl}", StringComparison.Ordinal) && p.Contains("limit of 100000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_OCSP_fails_the_CRL_gives_the_answer_and_the_OCSP_failure_is_kept()
    {
        var leaf = _server.IssueLeaf();
        _server.Revoke(leaf, DateTimeOffset.UtcNow.AddDays(-1), 1);
        _server.OcspOverride = context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        };

        var facts = await CheckAsync(leaf);

        Assert.Equal(RevocationStatus.Revoked, facts.Status);
        Assert.Equal($"crl {_server.CrlUrl}", facts.Source);
        Assert.Contains(facts.Problems, p => p.Contains("answered HTTP 500", StringComparison.Ordinal));
        Assert.Equal((1, 1), (_server.OcspRequests, _server.CrlRequests));
    }

    [Fact]
    public async Task A_good_OCSP_answer_needs_no_CRL_but_preferring_CRLs_skips_OCSP()
    {
        await CheckAsync(_server.IssueLeaf());
        Assert.Equal((1, 0), (_server.OcspRequests, _server.CrlRequests));

        var facts = await CheckAsync(_server.IssueLeaf(), new RevocationCheckerOptions { PreferOcsp = false });

        Assert.Equal($"crl {_server.CrlUrl}", facts.Source);
        Assert.Equal((1, 1), (_server.OcspRequests, _server.CrlRequests));
    }

    [Fact]
    public async Task When_both_fail_every_failure_is_reported()
    {
        _server.OcspOverride = context => context.Response.WriteAsync("nonsense");
        _server.CrlOverride = context =>
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        };

        var facts = await CheckAsync(_server.IssueLeaf());

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Null(facts.Source);
        Assert.Equal(2, facts.Problems.Count);
        Assert.Contains($"OCSP responder {_server.OcspUrl} sent something that is not an OCSP response", facts.Problems);
        Assert.Contains(facts.Problems, p => p.StartsWith($"CRL server {_server.CrlUrl} answered HTTP 404", StringComparison.Ordinal));
    }

    private async Task<RevocationFacts> CheckAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 leaf, RevocationCheckerOptions? options = null)
    {
        using var checker = new OcspCrlRevocationChecker(options: options);
        var (loaded, facts) = RevocationTestCertificate.Prepare(leaf, _server.Pki.Certificate);
        var result = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);
        Assert.NotNull(result);
        return result;
    }
}
