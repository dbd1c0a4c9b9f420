using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.Tests;

public sealed class CertificateScannerTests
{
    private readonly FakeTimeProvider _time = new(TestCertificates.Now);

    [Fact]
    public async Task Scan_reports_each_certificate_with_source_identity_findings_and_status()
    {
        using var expiring = TestCertificates.Create("CN=expiring", TestCertificates.Now.AddDays(-80), TestCertificates.Now.AddDays(10), dnsNames: ["expiring.test"]);
        var source = new InMemoryCertificateSource(expiring, "payments-client") { Owner = "team-payments", Tags = ["pci"] };

        var scan = await new CertificateScanner(timeProvider: _time).ScanAsync(source);

        var report = Assert.Single(scan.Reports);
        Assert.Equal("payments-client", report.SourceName);
        Assert.Equal("team-payments", report.Owner);
        Assert.Equal(["pci"], report.Tags);
        Assert.Equal(CertificateStatus.Degraded, report.Status);
        Assert.Equal(10, report.DaysRemaining);
        Assert.Equal(FindingIds.ExpiresSoon, Assert.Single(report.Findings, f => f.Severity == FindingSeverity.Warning).Id);
        Assert.Equal(CertificateStatus.Degraded, scan.Status);
    }

    [Fact]
    public async Task Source_that_does_not_answer_in_time_becomes_a_timeout_error()
    {
        var source = new HangingSource { Timeout = TimeSpan.FromSeconds(5) };
        var scanning = new CertificateScanner(timeProvider: _time).ScanAsync(source);

        await source.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(6));
        var scan = await scanning.WaitAsync(TimeSpan.FromSeconds(30));

        var error = Assert.Single(scan.Errors);
        Assert.Equal(LoadErrorReason.Timeout, error.Reason);
        Assert.Contains("5 s", error.Message);
        Assert.Equal(CertificateStatus.Unhealthy, scan.Status);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new HangingSource();
        var scanning = new CertificateScanner(timeProvider: _time).ScanAsync(source, cancellation.Token);
        await source.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scanning);
    }

    [Fact]
    public async Task Faulty_source_becomes_an_error_instead_of_an_exception()
    {
        var scan = await new CertificateScanner(timeProvider: _time).ScanAsync(new ThrowingSource());

        var error = Assert.Single(scan.Errors);
        Assert.Equal(LoadErrorReason.ReadFailed, error.Reason);
        Assert.Contains(nameof(InvalidOperationException), error.Message);
        Assert.DoesNotContain("secret-detail", error.Message);
    }

    [Fact]
    public async Task Revocation_is_checked_only_for_sources_that_ask_for_it()
    {
        using var certificate = TestCertificates.Create();
        var checker = new RecordingRevocationChecker();
        var scanner = new CertificateScanner(timeProvider: _time, revocationChecker: checker);

        var off = await scanner.ScanAsync(new InMemoryCertificateSource(certificate, "off"));
        var online = await scanner.ScanAsync(new InMemoryCertificateSource(certificate, "online") { Revocation = RevocationCheckMode.Online });

        Assert.Equal([RevocationCheckMode.Online], checker.Modes);
        Assert.Null(Assert.Single(off.Reports).Facts.Revocation);
        var report = Assert.Single(online.Reports);
        Assert.Equal(RevocationStatus.Revoked, report.Facts.Revocation!.Status);
        Assert.Equal(CertificateStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task Chain_trust_of_the_source_is_applied()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();
        var pem = TestCertificates.Pem(leaf, intermediate);
        var source = new BytesSource(System.Text.Encoding.ASCII.GetBytes(pem)) { Trust = ChainTrust.Custom([root]) };

        var scan = await new CertificateScanner(timeProvider: _time).ScanAsync(source);

        var leafReport = scan.Reports[0];
        Assert.True(leafReport.Facts.Chain!.IsTrusted);
        Assert.DoesNotContain(leafReport.Findings, f => f.Id is FindingIds.UntrustedChain or FindingIds.IncompleteChain);
    }

    [Fact]
    public async Task Revocation_check_cut_short_by_the_source_timeout_says_so()
    {
        using var certificate = TestCertificates.Create();
        var checker = new HangingRevocationChecker();
        var source = new InMemoryCertificateSource(certificate, "slow-revocation") { Revocation = RevocationCheckMode.Online, Timeout = TimeSpan.FromSeconds(5) };
        var scanning = new CertificateScanner(timeProvider: _time, revocationChecker: checker).ScanAsync(source);

        await checker.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(6));
        var scan = await scanning.WaitAsync(TimeSpan.FromSeconds(30));

        var revocation = Assert.Single(scan.Reports).Facts.Revocation!;
        Assert.Equal(RevocationStatus.Unknown, revocation.Status);
        Assert.Contains("timeout of 5 s ran out", Assert.Single(revocation.Problems));
        Assert.DoesNotContain(scan.Reports[0].Findings, f => f.Message.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Caller_cancellation_during_a_revocation_check_is_not_swallowed()
    {
        using var certificate = TestCertificates.Create();
        using var cancellation = new CancellationTokenSource();
        var checker = new HangingRevocationChecker();
        var source = new InMemoryCertificateSource(certificate, "cancelled") { Revocation = RevocationCheckMode.Online };
        var scanning = new CertificateScanner(timeProvider: _time, revocationChecker: checker).ScanAsync(source, cancellation.Token);
        await checker.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scanning);
    }

    private sealed class HangingRevocationChecker : IRevocationChecker
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<RevocationFacts?> CheckAsync(LoadedCertificate certificate, CertificateFacts facts, RevocationCheckMode mode, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            return null;
        }
    }

    private sealed class HangingSource() : CertificateSource("hanging")
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Kind => "test";

        public override string Location => "test:hanging";

        public override async ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            return CertificateLoadResult.Empty;
        }
    }

    private sealed class ThrowingSource() : CertificateSource("throwing")
    {
        public override string Kind => "test";

        public override string Location => "test:throwing";

        public override ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("secret-detail");
    }

    private sealed class BytesSource(byte[] data) : CertificateSource("bytes")
    {
        public override string Kind => "test";

        public override string Location => "test:bytes";

        public override ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(CertificateLoader.Load(data, Location));
    }

    private sealed class RecordingRevocationChecker : IRevocationChecker
    {
        public List<RevocationCheckMode> Modes { get; } = [];

        public ValueTask<RevocationFacts?> CheckAsync(LoadedCertificate certificate, CertificateFacts facts, RevocationCheckMode mode, CancellationToken cancellationToken)
        {
            Modes.Add(mode);
            return ValueTask.FromResult<RevocationFacts?>(new RevocationFacts { Status = RevocationStatus.Revoked, Source = "test" });
        }
    }
}
