using CertGuard.Policy;
using CertGuard.Sources;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.Tests.Monitoring;

/// <summary>Issue 15, item 2: a failure inside the monitor's loop never ends it (nor the host) silently.</summary>
public sealed class RefreshLoopFailureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-loop-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_failing_wait_keeps_the_last_result_marked_stale_logs_Critical_and_retries()
    {
        var clock = new TimerFailingClock(MonitorFactory.Start, failingDueTime: TimeSpan.FromHours(1), failures: 1);
        var path = MintedCertificates.WritePem(Path.Combine(_directory, "a.pem"), MintedCertificates.WithDaysLeft("a.example", MonitorFactory.Start, 60, lifetimeDays: 365));
        var logger = new FakeLogger<CertGuard.Monitoring.CertificateMonitor>();
        using var monitor = MonitorFactory.Create(clock, [new FileCertificateSource(path, name: "a")], o => o.WatchPollInterval = TimeSpan.FromHours(2), logger);

        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));

        // The wait for the next interval throws (a broken timer): the loop survives it.
        await Eventually.TrueAsync(() => monitor.Snapshot.Sources[0].IsStale, "the failure to mark the source stale");
        var state = monitor.Snapshot.Sources[0];
        Assert.Equal(CertificateStatus.Degraded, state.Status);
        Assert.Single(state.Reports);
        Assert.Contains("the monitor's refresh loop failed (InvalidOperationException); retrying in 1 s", state.StaleReason, StringComparison.Ordinal);
        var critical = Assert.Single(logger.Collector.GetSnapshot(), l => l.Level == LogLevel.Critical);
        Assert.Equal(1009, critical.Id.Id);
        Assert.False(monitor.ExecuteTask!.IsCompleted);

        // After the 1 s pause it refreshes again and the stale mark clears (the clock moves in half-second steps, far
        // from the 1-hour interval, so only the pause can end in a refresh).
        await Eventually.TrueAsync(() => !monitor.Snapshot.Sources[0].IsStale, "the retry to refresh the source", clock, TimeSpan.FromMilliseconds(500));
        Assert.Equal(CertificateStatus.Healthy, monitor.Snapshot.Sources[0].Status);
        Assert.False(monitor.ExecuteTask.IsCompleted);
        Assert.Equal(1, clock.Thrown);
        await monitor.StopAsync(CancellationToken.None);
        Assert.True(monitor.ExecuteTask.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task An_interval_too_long_for_a_timer_set_past_validation_is_clamped_not_thrown()
    {
        // Options built by hand skip validation: 60 days is past what Task.Delay accepts (49.7 days).
        var clock = MonitorFactory.Clock();
        var path = MintedCertificates.WritePem(Path.Combine(_directory, "b.pem"), MintedCertificates.WithDaysLeft("b.example", MonitorFactory.Start, 300, lifetimeDays: 365));
        var logger = new FakeLogger<CertGuard.Monitoring.CertificateMonitor>();
        using var monitor = MonitorFactory.Create(clock, [new FileCertificateSource(path, name: "b")], o => o.RefreshInterval = TimeSpan.FromDays(60), logger);

        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        var version = monitor.Snapshot.Version;

        // 50 days on: the clamped 49.7-day wait has passed and the source was refreshed, without any failure.
        clock.Advance(TimeSpan.FromDays(50));
        await Eventually.TrueAsync(() => monitor.Snapshot.Version > version, "the clamped wait to end in a refresh");
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), l => l.Level >= LogLevel.Error);
        Assert.False(monitor.Snapshot.Sources[0].IsStale);
        await monitor.StopAsync(CancellationToken.None);
    }

    /// <summary>A fake clock whose timers of one due time fail to be created a given number of times.</summary>
    private sealed class TimerFailingClock(DateTimeOffset start, TimeSpan failingDueTime, int failures) : FakeTimeProvider(start)
    {
        private int _calls;
        private int _thrown;

        public int Thrown => Volatile.Read(ref _thrown);


        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == failingDueTime && Interlocked.Increment(ref _calls) <= failures)
            {
                Interlocked.Increment(ref _thrown);
                throw new InvalidOperationException("the timer cannot be created");
            }

            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
