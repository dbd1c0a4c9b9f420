using CertGuard.Loading;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CertGuard.Tests.Monitoring;

public sealed class CertificateMonitorTests
{
    [Fact]
    public async Task Status_moves_from_Healthy_to_Degraded_to_Unhealthy_as_time_advances()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("web.example", clock.GetUtcNow(), daysLeft: 45, lifetimeDays: 90);
        using var monitor = MonitorFactory.Create(clock, [new CountingSource("web", certificate)]);

        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(CertificateStatus.Healthy, monitor.Snapshot.Status);

        clock.Advance(TimeSpan.FromDays(16)); // 29 days left: inside min(30 d, 90 d / 3)
        await Eventually.TrueAsync(() => monitor.Snapshot.Status == CertificateStatus.Degraded, "the interval refresh to see the warning window");
        Assert.Contains(monitor.Snapshot.Reports[0].Findings, f => f.Id == FindingIds.ExpiresSoon);

        clock.Advance(TimeSpan.FromDays(30)); // one day past expiry
        await Eventually.TrueAsync(() => monitor.Snapshot.Status == CertificateStatus.Unhealthy, "the interval refresh to see the expiry");
        Assert.Contains(monitor.Snapshot.Reports[0].Findings, f => f.Id == FindingIds.Expired);
        await monitor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_certificate_crossing_into_its_warning_window_is_judged_then_not_an_interval_later()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("web.example", clock.GetUtcNow(), daysLeft: 30 + (1.0 / 24), lifetimeDays: 90);
        var source = new CountingSource("web", certificate);
        using var monitor = MonitorFactory.Create(clock, [source], o => o.RefreshInterval = TimeSpan.FromDays(1));

        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(CertificateStatus.Healthy, monitor.Snapshot.Status);

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(() => monitor.Snapshot.Status == CertificateStatus.Degraded, "a refresh at the start of the warning window");
        Assert.Equal(2, source.Loads);
        await monitor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_source_that_never_refreshed_is_reported_as_not_yet_checked_and_Degraded()
    {
        var clock = MonitorFactory.Clock();
        var never = new TaskCompletionSource();
        using var certificate = MintedCertificates.WithDaysLeft("slow.example", clock.GetUtcNow(), 60);
        var slow = new CountingSource("slow", certificate, isRemote: true) { Block = never.Task };
        using var monitor = MonitorFactory.Create(clock, [slow]);

        Assert.False(monitor.Snapshot.IsStarted);
        Assert.Equal(CertificateStatus.Degraded, monitor.Snapshot.Status);

        await monitor.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => slow.Loads == 1, "the first load to begin");
        var state = Assert.Single(monitor.Snapshot.Sources);
        Assert.False(state.IsChecked);
        Assert.Equal(CertificateStatus.Degraded, state.Status);

        never.SetResult();
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(CertificateStatus.Healthy, monitor.Snapshot.Status);
        await monitor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_last_good_result_marked_stale_with_time_and_reason()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("api.example", clock.GetUtcNow(), 60);
        var source = new CountingSource("api", certificate);
        using var monitor = MonitorFactory.Create(clock, [source]);

        await monitor.RefreshAsync();
        var good = monitor.Snapshot.Sources[0];
        Assert.Equal(CertificateStatus.Healthy, good.Status);

        clock.Advance(TimeSpan.FromMinutes(5));
        source.Error = new LoadError("test:api", LoadErrorReason.NotFound, "file is missing");
        await monitor.RefreshAsync();

        var stale = monitor.Snapshot.Sources[0];
        Assert.True(stale.IsStale);
        Assert.True(monitor.Snapshot.IsStale);
        Assert.Equal(clock.GetUtcNow(), stale.StaleSince);
        Assert.Equal(good.RefreshedAt, stale.RefreshedAt);
        Assert.Contains("file is missing", stale.StaleReason);
        Assert.Equal(good.Reports[0].Facts.ThumbprintSha256, Assert.Single(stale.Reports).Facts.ThumbprintSha256);
        Assert.Equal(CertificateStatus.Degraded, stale.Status);

        clock.Advance(TimeSpan.FromMinutes(5));
        source.Error = null;
        await monitor.RefreshAsync();
        Assert.False(monitor.Snapshot.Sources[0].IsStale);
        Assert.Equal(CertificateStatus.Healthy, monitor.Snapshot.Status);
    }

    [Fact]
    public async Task A_source_that_throws_never_throws_into_the_host_and_keeps_its_last_result()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("api.example", clock.GetUtcNow(), 60);
        var source = new CountingSource("api", certificate);
        using var monitor = MonitorFactory.Create(clock, [source]);
        await monitor.RefreshAsync();

        source.Throw = new InvalidOperationException("boom");
        var snapshot = await monitor.RefreshAsync();

        Assert.True(snapshot.Sources[0].IsStale);
        Assert.Single(snapshot.Sources[0].Reports);
    }

    [Fact]
    public async Task Stale_reports_are_judged_again_so_a_kept_certificate_still_expires_on_time()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("api.example", clock.GetUtcNow(), 2, lifetimeDays: 30);
        var source = new CountingSource("api", certificate);
        using var monitor = MonitorFactory.Create(clock, [source]);
        await monitor.RefreshAsync();

        source.Error = new LoadError("test:api", LoadErrorReason.Timeout, "did not answer");
        clock.Advance(TimeSpan.FromDays(3));
        var snapshot = await monitor.RefreshAsync();

        Assert.True(snapshot.Sources[0].IsStale);
        Assert.Equal(CertificateStatus.Unhealthy, snapshot.Status);
        Assert.Contains(snapshot.Reports[0].Findings, f => f.Id == FindingIds.Expired);
    }

    [Fact]
    public async Task A_source_that_never_loaded_is_Unhealthy_not_stale()
    {
        var clock = MonitorFactory.Clock();
        var source = new CountingSource("missing", certificate: null) { Error = new LoadError("/etc/tls/missing.pem", LoadErrorReason.NotFound, "file does not exist") };
        using var monitor = MonitorFactory.Create(clock, [source]);

        var snapshot = await monitor.RefreshAsync();

        Assert.False(snapshot.Sources[0].IsStale);
        Assert.Equal(CertificateStatus.Unhealthy, snapshot.Status);
        Assert.Equal(LoadErrorReason.NotFound, Assert.Single(snapshot.Errors).Reason);
    }

    [Fact]
    public async Task Remote_sources_refresh_with_bounded_concurrency()
    {
        var clock = MonitorFactory.Clock();
        var release = new TaskCompletionSource();
        using var certificate = MintedCertificates.WithDaysLeft("remote.example", clock.GetUtcNow(), 60);
        var remotes = Enumerable.Range(0, 6).Select(i => new CountingSource($"remote-{i}", certificate, isRemote: true) { Block = release.Task }).ToList();
        using var monitor = MonitorFactory.Create(clock, remotes, o => o.MaxConcurrentRemoteRefreshes = 2);

        await monitor.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => remotes.Sum(r => r.Loads) == 2, "two remote loads to start");
        await Task.Delay(200); // give a wrongly unbounded monitor the chance to start more
        Assert.Equal(2, remotes.Sum(r => r.Loads));

        release.SetResult();
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(monitor.Snapshot.Sources, s => Assert.True(s.IsChecked));
        await monitor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_remote_source_queued_for_a_slot_does_not_spend_its_timeout_waiting_for_it()
    {
        // One slot: the black hole holds it for its whole 10 s timeout, while the queued source waits. The queued
        // source then needs 5 s of its own 10 s: it must succeed, which it cannot if its timeout ran while it queued.
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("queued.example", clock.GetUtcNow(), 60);
        var blackHole = new CountingSource("black-hole", certificate, isRemote: true) { Block = new TaskCompletionSource().Task, Timeout = TimeSpan.FromSeconds(10) };
        var queued = new CountingSource("queued", certificate, isRemote: true) { Block = Task.Delay(TimeSpan.FromSeconds(15), clock), Timeout = TimeSpan.FromSeconds(10) };
        using var monitor = MonitorFactory.Create(clock, [blackHole, queued], o => o.MaxConcurrentRemoteRefreshes = 1);

        // RefreshAsync starts the sources in registration order, so the black hole takes the slot first.
        var refresh = monitor.RefreshAsync();
        await Eventually.TrueAsync(() => blackHole.Loads == 1, "the black hole to take the only slot");
        Assert.Equal(0, queued.Loads);

        clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => queued.Loads == 1, "the queued source to get the slot once the black hole timed out");
        clock.Advance(TimeSpan.FromSeconds(5));
        var snapshot = await refresh.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LoadErrorReason.Timeout, Assert.Single(snapshot.Sources.Single(s => s.Source.Name == "black-hole").Errors).Reason);
        var served = snapshot.Sources.Single(s => s.Source.Name == "queued");
        Assert.Empty(served.Errors);
        Assert.Single(served.Reports);
    }

    [Fact]
    public async Task A_black_holed_remote_source_delays_neither_local_nor_other_remote_sources()
    {
        var clock = MonitorFactory.Clock();
        var never = new TaskCompletionSource();
        using var certificate = MintedCertificates.WithDaysLeft("x.example", clock.GetUtcNow(), 60);
        var blackHole = new CountingSource("black-hole", certificate, isRemote: true) { Block = never.Task };
        var remote = new CountingSource("remote", certificate, isRemote: true);
        var local = new CountingSource("local", certificate);
        using var monitor = MonitorFactory.Create(clock, [blackHole, remote, local]);

        await monitor.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(
            () => monitor.Snapshot.Sources.Count(s => s.IsChecked) == 2,
            "the local and the healthy remote source to be checked while the black hole hangs");
        Assert.False(monitor.Snapshot.Sources.Single(s => s.Source.Name == "black-hole").IsChecked);

        // The scanner's own timeout (source.Timeout, on the monitor's clock) ends the black hole's load.
        await Eventually.TrueAsync(() => monitor.Snapshot.Sources.All(s => s.IsChecked), "the black hole to time out", clock, TimeSpan.FromSeconds(5));
        var timedOut = monitor.Snapshot.Sources.Single(s => s.Source.Name == "black-hole");
        Assert.Equal(LoadErrorReason.Timeout, Assert.Single(timedOut.Errors).Reason);
        Assert.Equal(CertificateStatus.Unhealthy, timedOut.Status);
        await monitor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Degraded_and_Unhealthy_are_logged_once_on_transition_not_on_every_refresh()
    {
        var clock = MonitorFactory.Clock();
        var logger = new FakeLogger<CertificateMonitor>();
        using var certificate = MintedCertificates.WithDaysLeft("web.example", clock.GetUtcNow(), 10);
        var source = new CountingSource("web", certificate);
        using var monitor = MonitorFactory.Create(clock, [source], logger: logger);

        await monitor.RefreshAsync();
        await monitor.RefreshAsync();
        await monitor.RefreshAsync();
        var degraded = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 1001).ToList();
        var entry = Assert.Single(degraded);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("web", entry.Message);

        clock.Advance(TimeSpan.FromDays(11));
        await monitor.RefreshAsync();
        await monitor.RefreshAsync();
        var unhealthy = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 1002);
        Assert.Equal(LogLevel.Error, unhealthy.Level);
        Assert.Contains("expired", unhealthy.Message);
    }
}
