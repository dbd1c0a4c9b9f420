using System.Net.Sockets;
using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using Microsoft.AspNetCore.Http;

namespace CertGuard.Tests.Inspection.Revocation;

public sealed class OcspRevocationTests : IAsyncLifetime
{
    private RevocationTestServer _server = null!;

    public async Task InitializeAsync() => _server = await RevocationTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_good_answer_signed_by_the_issuer_is_good()
    {
        var facts = await CheckAsync(_server.IssueLeaf(crl: false));

        Assert.Equal(RevocationStatus.Good, facts.Status);
        Assert.Equal($"ocsp {_server.OcspUrl}", facts.Source);
        Assert.Empty(facts.Problems);
        Assert.NotNull(facts.ThisUpdate);
        Assert.True(facts.NextUpdate > DateTimeOffset.UtcNow);
        Assert.Equal(1, _server.OcspRequests);
    }

    [Fact]
    public async Task A_small_request_goes_by_GET_and_a_large_one_or_a_disabled_GET_by_POST()
    {
        await CheckAsync(_server.IssueLeaf(crl: false));
        Assert.Equal((1, 0), (_server.OcspGets, _server.OcspPosts));

        var facts = await CheckAsync(_server.IssueLeaf(crl: false), new RevocationCheckerOptions { UseHttpGet = false });

        Assert.Equal(RevocationStatus.Good, facts.Status);
        Assert.Equal((1, 1), (_server.OcspGets, _server.OcspPosts));
    }

    [Fact]
    public async Task A_revoked_answer_carries_the_time_and_the_reason()
    {
        var leaf = _server.IssueLeaf(crl: false);
        var revokedAt = new DateTimeOffset(DateTime.UtcNow.AddDays(-1).Date.AddHours(13), TimeSpan.Zero);
        _server.Revoke(leaf, revokedAt, Org.BouncyCastle.Asn1.X509.CrlReason.KeyCompromise);

        var facts = await CheckAsync(leaf);

        Assert.Equal(RevocationStatus.Revoked, facts.Status);
        Assert.Equal(revokedAt, facts.RevokedAt);
        Assert.Equal("keyCompromise", facts.RevocationReason);
        Assert.Equal($"ocsp {_server.OcspUrl}", facts.Source);
    }

    [Fact]
    public async Task A_responder_that_does_not_know_the_certificate_gives_unknown()
    {
        var leaf = _server.IssueLeaf(crl: false);
        _server.UnknownToResponder[leaf.SerialNumber] = true;

        var facts = await CheckAsync(leaf);

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains(facts.Problems, p => p.Contains("does not know the certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_response_is_not_trusted()
    {
        _server.OcspThisUpdate = TimeSpan.FromDays(-3);
        _server.OcspNextUpdate = TimeSpan.FromDays(-1);

        var facts = await CheckAsync(_server.IssueLeaf(crl: false));

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains(facts.Problems, p => p.Contains("expired response", StringComparison.Ordinal) && p.Contains(_server.OcspUrl, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_response_dated_in_the_future_is_not_trusted()
    {
        _server.OcspThisUpdate = TimeSpan.FromHours(2);

        var facts = await CheckAsync(_server.IssueLeaf(crl: false));

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains(facts.Problems, p => p.Contains("dated in the future", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_response_signed_by_an_unrelated_key_is_not_trusted_even_when_it_says_revoked()
    {
        var leaf = _server.IssueLeaf(crl: false);
        _server.Revoke(leaf, DateTimeOffset.UtcNow.AddHours(-2), 1);
        _server.Signer = OcspSigner.UnrelatedKey;

        var facts = await CheckAsync(leaf);

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains(facts.Problems, p => p.Contains("not signed by the issuer or by a responder the issuer authorized", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delegated_responder_with_the_OCSPSigning_usage_is_trusted()
    {
        var leaf = _server.IssueLeaf(crl: false);
        _server.Revoke(leaf, DateTimeOffset.UtcNow.AddHours(-2), 4);
        _server.Signer = OcspSigner.DelegatedResponder;

        var facts = await CheckAsync(leaf);

        Assert.Equal(RevocationStatus.Revoked, facts.Status);
        Assert.Equal("superseded", facts.RevocationReason);
    }

    [Fact]
    public async Task A_responder_certificate_without_the_OCSPSigning_usage_is_not_trusted()
    {
        _server.Signer = OcspSigner.ResponderWithoutOcspSigning;

        var facts = await CheckAsync(_server.IssueLeaf(crl: false));

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains(facts.Problems, p => p.Contains("not signed by the issuer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_response_without_a_nonce_is_accepted_but_one_with_a_wrong_nonce_is_not()
    {
        _server.Nonce = NonceHandling.Omit;
        var withoutNonce = await CheckAsync(_server.IssueLeaf(crl: false));
        _server.Nonce = NonceHandling.Wrong;
        var wrongNonce = await CheckAsync(_server.IssueLeaf(crl: false));

        Assert.Equal(RevocationStatus.Good, withoutNonce.Status);
        Assert.Equal(RevocationStatus.Unknown, wrongNonce.Status);
        Assert.Contains(wrongNonce.Problems, p => p.Contains("different nonce", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_responder_that_refuses_connections_gives_unknown_naming_it()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/ocsp";
        var leaf = _server.Pki.IssueLeaf("down.test", [url]);

        var facts = await CheckAsync(leaf);

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains($"OCSP responder {url} refused the connection", facts.Problems);
    }

    [Fact]
    public async Task A_responder_that_never_answers_gives_unknown_within_the_request_timeout()
    {
        _server.OcspOverride = context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        var options = new RevocationCheckerOptions { RequestTimeout = TimeSpan.FromSeconds(1) };

        var check = CheckAsync(_server.IssueLeaf(crl: false), options);
        var facts = await check.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains($"OCSP responder {_server.OcspUrl} did not answer within 1 s", facts.Problems);
    }

    [Fact]
    public async Task A_garbage_body_gives_unknown()
    {
        _server.OcspOverride = context => context.Response.WriteAsync("<html>Service temporarily unavailable</html>");

        var facts = await CheckAsync(_server.IssueLeaf(crl: false));

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains($"OCSP responder {_server.OcspUrl} sent something that is not an OCSP response", facts.Problems);
    }

    [Fact]
    public async Task An_HTTP_500_gives_unknown()
    {
        _server.OcspOverride = context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        };

        var facts = await CheckAsync(_server.IssueLeaf(crl: false));

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains(facts.Problems, p => p.StartsWith($"OCSP responder {_server.OcspUrl} answered HTTP 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tryLater_answer_gives_unknown()
    {
        var tryLater = new Org.BouncyCastle.Ocsp.OCSPRespGenerator().Generate(Org.BouncyCastle.Ocsp.OCSPRespGenerator.TryLater, null).GetEncoded();
        _server.OcspOverride = context => context.Response.Body.WriteAsync(tryLater).AsTask();

        var facts = await CheckAsync(_server.IssueLeaf(crl: false));

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains($"OCSP responder {_server.OcspUrl} refused to answer: tryLater", facts.Problems);
    }

    [Fact]
    public async Task A_response_larger_than_the_limit_is_not_read()
    {
        _server.OcspOverride = context => context.Response.Body.WriteAsync(new byte[100_000]).AsTask();

        var facts = await CheckAsync(_server.IssueLeaf(crl: false), new RevocationCheckerOptions { MaxOcspResponseSize = 10_000 });

        Assert.Equal(RevocationStatus.Unknown, facts.Status);
        Assert.Contains(facts.Problems, p => p.Contains("the limit of 10000", StringComparison.Ordinal));
    }

    private async Task<RevocationFacts> CheckAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 leaf, RevocationCheckerOptions? options = null)
    {
        using var checker = new OcspCrlRevocationChecker(options: options);
        var (loaded, facts) = RevocationTestCertificate.Prepare(leaf, _server.Pki.Certificate);
        var result = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);
        Assert.NotNull(result);
        return result;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
