using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;

namespace CertGuard.Tests.Inspection.Revocation;

public sealed class OcspCrlRevocationCheckerTests : IAsyncLifetime
{
    private RevocationTestServer _server = null!;

    public async Task InitializeAsync() => _server = await RevocationTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Off_means_no_check_and_no_request()
    {
        using var checker = new OcspCrlRevocationChecker();
        var (loaded, facts) = RevocationTestCertificate.Prepare(_server.IssueLeaf(), _server.Pki.Certificate);

        var result = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Off, CancellationToken.None);

        Assert.Null(result);
        Assert.Equal((0, 0), (_server.OcspRequests, _server.CrlRequests));
    }

    [Fact]
    public async Task A_certificate_without_OCSP_or_CRL_URLs_or_a_self_signed_one_cannot_be_checked()
    {
        using var checker = new OcspCrlRevocationChecker();
        var (bare, bareFacts) = RevocationTestCertificate.Prepare(_server.IssueLeaf(ocsp: false, crl: false), _server.Pki.Certificate);
        var (root, rootFacts) = RevocationTestCertificate.Prepare(_server.Pki.Certificate);

        Assert.Null(await checker.CheckAsync(bare, bareFacts, RevocationCheckMode.Online, CancellationToken.None));
        Assert.Null(await checker.CheckAsync(root, rootFacts, RevocationCheckMode.Online, CancellationToken.None));
    }

    [Fact]
    public async Task Without_the_issuer_the_status_is_unknown_and_says_why()
    {
        using var checker = new OcspCrlRevocationChecker();
        var (loaded, facts) = RevocationTestCertificate.Prepare(_server.IssueLeaf());

        var result = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, result!.Status);
        Assert.Contains(result.Problems, p => p.StartsWith("issuer certificate not available", StringComparison.Ordinal));
        Assert.Equal((0, 0), (_server.OcspRequests, _server.CrlRequests));
    }

    [Fact]
    public async Task A_missing_issuer_is_downloaded_once_from_the_CA_Issuers_URL()
    {
        using var checker = new OcspCrlRevocationChecker();
        using var leaf = _server.Pki.IssueServerCertificate("aia.test", [_server.OcspUrl], null, [_server.CaIssuersUrl]);
        var (loaded, facts) = RevocationTestCertificate.Prepare(leaf);

        var first = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);
        var second = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);

        Assert.Equal((RevocationStatus.Good, RevocationStatus.Good), (first!.Status, second!.Status));
        Assert.Equal((1, 1), (_server.CaIssuersRequests, _server.OcspRequests));
    }

    [Fact]
    public async Task A_downloaded_certificate_that_did_not_sign_the_certificate_is_not_taken_for_the_issuer()
    {
        using var checker = new OcspCrlRevocationChecker();
        using var impostor = TestPki.Create(_server.Pki.Certificate.GetNameInfo(X509NameType.SimpleName, false));
        using var leaf = _server.Pki.IssueServerCertificate("aia.test", [_server.OcspUrl], null, [_server.CaIssuersUrl]);
        var (loaded, facts) = RevocationTestCertificate.Prepare(leaf);
        _server.CaIssuersOverride = impostor.Certificate;

        var result = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);

        Assert.Equal(RevocationStatus.Unknown, result!.Status);
        Assert.Contains(result.Problems, p => p.StartsWith("issuer certificate not available", StringComparison.Ordinal)
            && p.Contains($"the certificate downloaded from {_server.CaIssuersUrl} did not issue this certificate", StringComparison.Ordinal));
        Assert.Equal(0, _server.OcspRequests);
    }

    [Fact]
    public async Task A_presented_certificate_with_the_issuers_name_but_another_key_is_not_taken_for_the_issuer()
    {
        using var checker = new OcspCrlRevocationChecker();
        using var impostor = TestPki.Create(_server.Pki.Certificate.GetNameInfo(X509NameType.SimpleName, false));
        var (loaded, facts) = RevocationTestCertificate.Prepare(_server.IssueLeaf(), impostor.Certificate, _server.Pki.Certificate);
        var (alone, aloneFacts) = RevocationTestCertificate.Prepare(_server.IssueLeaf(), impostor.Certificate);

        var withRealIssuer = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);
        var withImpostorOnly = await checker.CheckAsync(alone, aloneFacts, RevocationCheckMode.Online, CancellationToken.None);

        Assert.Equal(RevocationStatus.Good, withRealIssuer!.Status);
        Assert.Equal(RevocationStatus.Unknown, withImpostorOnly!.Status);
        Assert.Contains(withImpostorOnly.Problems, p => p.StartsWith("issuer certificate not available", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_URL_that_is_not_http_is_skipped_with_a_problem_and_the_next_one_answers()
    {
        using var checker = new OcspCrlRevocationChecker();
        var leaf = _server.Pki.IssueLeaf("ldap.test", null, ["ldap://directory.test/cn=CA?certificateRevocationList", _server.CrlUrl]);
        var (loaded, facts) = RevocationTestCertificate.Prepare(leaf, _server.Pki.Certificate);

        var result = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);

        Assert.Equal(RevocationStatus.Good, result!.Status);
        Assert.Contains(result.Problems, p => p.Contains("'ldap://directory.test/cn=CA?certificateRevocationList' is not an http or https URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_whole_check_stops_at_its_budget_however_many_responders_hang()
    {
        _server.OcspOverride = context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        _server.CrlOverride = context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        using var checker = new OcspCrlRevocationChecker(options: new RevocationCheckerOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(1),
            TotalTimeout = TimeSpan.FromSeconds(1.5),
        });
        var leaf = _server.Pki.IssueLeaf("slow.test", [_server.OcspUrl, _server.OcspUrl + "/second"], [_server.CrlUrl]);
        var (loaded, facts) = RevocationTestCertificate.Prepare(leaf, _server.Pki.Certificate);

        var result = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RevocationStatus.Unknown, result!.Status);
        Assert.Contains("the revocation check did not finish within its budget of 1.5 s", result.Problems);
        Assert.Equal(0, _server.CrlRequests);
    }

    [Fact]
    public async Task The_callers_cancellation_is_honoured()
    {
        _server.OcspOverride = context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        using var checker = new OcspCrlRevocationChecker();
        var (loaded, facts) = RevocationTestCertificate.Prepare(_server.IssueLeaf(), _server.Pki.Certificate);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, cancel.Token).AsTask());
    }

    [Fact]
    public void Unusable_options_are_refused_with_every_problem()
    {
        var options = new RevocationCheckerOptions { RequestTimeout = TimeSpan.Zero, MaxCrlSize = 0, CacheSize = -1 };

        var error = Assert.Throws<ArgumentException>(() => new OcspCrlRevocationChecker(options: options));

        Assert.Contains("RequestTimeout must be positive.", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxCrlSize must be positive.", error.Message, StringComparison.Ordinal);
        Assert.Contains("CacheSize must not be negative.", error.Message, StringComparison.Ordinal);
        Assert.Empty(new RevocationCheckerOptions().Validate());
    }

    [Fact]
    public async Task An_injected_HttpClient_is_used_and_not_disposed()
    {
        using var client = new HttpClient();
        using (var checker = new OcspCrlRevocationChecker(client, null, null))
        {
            var (loaded, facts) = RevocationTestCertificate.Prepare(_server.IssueLeaf(crl: false), _server.Pki.Certificate);
            Assert.Equal(RevocationStatus.Good, (await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None))!.Status);
        }

        using var response = await client.GetAsync(new Uri(_server.CrlUrl));
        Assert.True(response.IsSuccessStatusCode);
    }
}
