using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.Tests.Inspection.Revocation;

public sealed class RevocationCacheTests : IAsyncLifetime
{
    private RevocationTestServer _server = null!;

    public async Task InitializeAsync() => _server = await RevocationTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_second_check_of_the_same_certificate_is_answered_from_the_cache()
    {
        using var checker = new OcspCrlRevocationChecker();
        var (loaded, facts) = RevocationTestCertificate.Prepare(_server.IssueLeaf(), _server.Pki.Certificate);

        var first = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);
        var second = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);

        Assert.Equal(RevocationStatus.Good, first!.Status);
        Assert.Equal((first.Status, first.ThisUpdate, first.NextUpdate), (second!.Status, second.ThisUpdate, second.NextUpdate));
        Assert.Equal(1, _server.OcspRequests);
    }

    [Fact]
    public async Task Certificates_of_one_issuer_share_one_CRL_download()
    {
        using var checker = new OcspCrlRevocationChecker();
        var revoked = _server.IssueLeaf("revoked.test", ocsp: false);
        _server.Revoke(revoked, DateTimeOffset.UtcNow.AddDays(-1), 1);

        var good = await CheckAsync(checker, _server.IssueLeaf("good.test", ocsp: false), RevocationCheckMode.Online);
        var bad = await CheckAsync(checker, revoked, RevocationCheckMode.Online);

        Assert.Equal((RevocationStatus.Good, RevocationStatus.Revoked), (good.Status, bad.Status));
        Assert.Equal(1, _server.CrlRequests);
    }

    [Fact]
    public async Task Concurrent_checks_wait_for_one_shared_CRL_download()
    {
        using var checker = new OcspCrlRevocationChecker();
        _server.CrlGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaves = Enumerable.Range(0, 8).Select(i => _server.IssueLeaf($"host{i}.test", ocsp: false)).ToList();

        var checks = leaves.Select(leaf => CheckAsync(checker, leaf, RevocationCheckMode.Online)).ToList();
        await _server.CrlRequested.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        _server.CrlGate.SetResult();
        var results = await Task.WhenAll(checks).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(results, r => Assert.Equal(RevocationStatus.Good, r.Status));
        Assert.Equal(1, _server.CrlRequests);
    }

    [Fact]
    public async Task Offline_mode_uses_only_the_cache()
    {
        using var checker = new OcspCrlRevocationChecker();
        var leaf = _server.IssueLeaf();

        var before = await CheckAsync(checker, leaf, RevocationCheckMode.Offline);
        Assert.Equal(RevocationStatus.Unknown, before.Status);
        Assert.Contains($"no cached answer from OCSP responder {_server.OcspUrl} (offline mode)", before.Problems);
        Assert.Contains($"no cached CRL from {_server.CrlUrl} (offline mode)", before.Problems);
        Assert.Equal((0, 0), (_server.OcspRequests, _server.CrlRequests));

        await CheckAsync(checker, leaf, RevocationCheckMode.Online);
        var after = await CheckAsync(checker, leaf, RevocationCheckMode.Offline);

        Assert.Equal(RevocationStatus.Good, after.Status);
        Assert.Equal((1, 0), (_server.OcspRequests, _server.CrlRequests));
    }

    [Fact]
    public async Task An_answer_is_asked_for_again_once_past_its_next_update()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var checker = new OcspCrlRevocationChecker(timeProvider: clock);
        var leaf = _server.IssueLeaf(crl: false);

        await CheckAsync(checker, leaf, RevocationCheckMode.Online);
        clock.Advance(TimeSpan.FromHours(12));
        await CheckAsync(checker, leaf, RevocationCheckMode.Online);
        Assert.Equal(1, _server.OcspRequests);

        clock.Advance(TimeSpan.FromHours(13));
        await CheckAsync(checker, leaf, RevocationCheckMode.Online);

        Assert.Equal(2, _server.OcspRequests);
    }

    [Fact]
    public async Task A_failed_server_is_not_asked_again_until_the_retry_interval_has_passed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var checker = new OcspCrlRevocationChecker(timeProvider: clock);
        var leaf = _server.IssueLeaf(crl: false);
        _server.OcspOverride = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };

        var failed = await CheckAsync(checker, leaf, RevocationCheckMode.Online);
        _server.OcspOverride = null;
        var remembered = await CheckAsync(checker, leaf, RevocationCheckMode.Online);
        Assert.Equal(1, _server.OcspRequests);
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var recovered = await CheckAsync(checker, leaf, RevocationCheckMode.Online);

        Assert.Equal((RevocationStatus.Unknown, RevocationStatus.Unknown, RevocationStatus.Good), (failed.Status, remembered.Status, recovered.Status));
        Assert.Contains(remembered.Problems, p => p.Contains("answered HTTP 503", StringComparison.Ordinal) && p.Contains("not asked again until", StringComparison.Ordinal));
        Assert.Equal(2, _server.OcspRequests);
    }

    [Fact]
    public async Task A_hanging_responder_costs_one_timeout_not_one_per_certificate()
    {
        _server.OcspOverride = context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        using var checker = new OcspCrlRevocationChecker(options: new RevocationCheckerOptions { RequestTimeout = TimeSpan.FromSeconds(1) });

        var first = await CheckAsync(checker, _server.IssueLeaf("one.test"), RevocationCheckMode.Online).WaitAsync(TimeSpan.FromSeconds(30));
        var second = await CheckAsync(checker, _server.IssueLeaf("two.test"), RevocationCheckMode.Online).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((RevocationStatus.Good, RevocationStatus.Good), (first.Status, second.Status));
        Assert.Contains(second.Problems, p => p.Contains("did not answer within 1 s; not asked again until", StringComparison.Ordinal));
        Assert.Equal((1, 1), (_server.OcspRequests, _server.CrlRequests));
    }

    [Fact]
    public async Task With_a_zero_retry_interval_failures_are_not_remembered()
    {
        using var checker = new OcspCrlRevocationChecker(options: new RevocationCheckerOptions { FailureRetryInterval = TimeSpan.Zero });
        var leaf = _server.IssueLeaf(crl: false);
        _server.OcspOverride = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };

        var failed = await CheckAsync(checker, leaf, RevocationCheckMode.Online);
        _server.OcspOverride = null;
        var recovered = await CheckAsync(checker, leaf, RevocationCheckMode.Online);

        Assert.Equal((RevocationStatus.Unknown, RevocationStatus.Good), (failed.Status, recovered.Status));
        Assert.Equal(2, _server.OcspRequests);
    }

    [Fact]
    public async Task The_cache_keeps_no_more_than_its_size()
    {
        using var checker = new OcspCrlRevocationChecker(options: new RevocationCheckerOptions { CacheSize = 2 });
        for (var i = 0; i < 4; i++)
        {
            await CheckAsync(checker, _server.IssueLeaf($"host{i}.test", crl: false), RevocationCheckMode.Online);
        }

        Assert.Equal(2, checker.CachedCount);
    }

    private async Task<RevocationFacts> CheckAsync(OcspCrlRevocationChecker checker, System.Security.Cryptography.X509Certificates.X509Certificate2 leaf, RevocationCheckMode mode)
    {
        var (loaded, facts) = RevocationTestCertificate.Prepare(leaf, _server.Pki.Certificate);
        var result = await checker.CheckAsync(loaded, facts, mode, CancellationToken.None);
        Assert.NotNull(result);
        return result;
    }
}
