using CertGuard.HealthChecks;
using CertGuard.Policy;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CertGuard.Tests.Monitoring;

/// <summary>
/// A certificate dated at issuance arrives on a host whose clock lags: through the monitor and the health check, within
/// the tolerance the node keeps answering 200 (Degraded), beyond it 503 (Unhealthy).
/// </summary>
public sealed class ClockSkewMonitorTests
{
    [Theory]
    [InlineData(168, HealthStatus.Degraded, FindingSeverity.Warning)]    // 2 min 48 s early
    [InlineData(300, HealthStatus.Degraded, FindingSeverity.Warning)]    // exactly the default tolerance
    [InlineData(301, HealthStatus.Unhealthy, FindingSeverity.Critical)]
    [InlineData(3600, HealthStatus.Unhealthy, FindingSeverity.Critical)]
    public async Task A_certificate_issued_ahead_of_the_host_clock_is_judged_by_the_tolerance(int secondsEarly, HealthStatus expected, FindingSeverity severity)
    {
        var clock = MonitorFactory.Clock();
        var notBefore = clock.GetUtcNow().AddSeconds(secondsEarly);
        using var certificate = MintedCertificates.Create("web.example", notBefore, notBefore.AddDays(90));
        var source = new CountingSource("web", certificate);
        using var monitor = MonitorFactory.Create(clock, [source]);

        var snapshot = await monitor.RefreshAsync();
        var check = new CertificateHealthCheck(monitor, "web");
        var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("web", check, HealthStatus.Unhealthy, null) });

        var finding = Assert.Single(Assert.Single(snapshot.Reports).Findings, f => f.Id == FindingIds.NotYetValid);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal(expected, result.Status);
        if (severity == FindingSeverity.Warning)
        {
            Assert.Contains("check the clock", finding.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Once_the_clock_passes_not_before_the_certificate_is_healthy_without_a_refresh_of_the_file()
    {
        var clock = MonitorFactory.Clock();
        var notBefore = clock.GetUtcNow().AddMinutes(2);
        using var certificate = MintedCertificates.Create("web.example", notBefore, notBefore.AddDays(90));
        using var monitor = MonitorFactory.Create(clock, [new CountingSource("web", certificate)]);

        var early = await monitor.RefreshAsync();
        clock.Advance(TimeSpan.FromMinutes(3));
        var later = await monitor.RefreshAsync();

        Assert.Equal(CertificateStatus.Degraded, early.Status);
        Assert.Equal(CertificateStatus.Healthy, later.Status);
    }

    [Fact]
    public async Task A_monitor_given_a_wider_tolerance_applies_it()
    {
        var clock = MonitorFactory.Clock();
        var notBefore = clock.GetUtcNow().AddMinutes(20);
        using var certificate = MintedCertificates.Create("web.example", notBefore, notBefore.AddDays(90));
        var options = new CertificatePolicyOptions { ClockSkewTolerance = TimeSpan.FromMinutes(30) };
        using var lenient = MonitorFactory.Create(clock, [new CountingSource("web", certificate)], policy: options);
        using var strict = MonitorFactory.Create(clock, [new CountingSource("web", certificate)]);

        Assert.Equal(CertificateStatus.Degraded, (await lenient.RefreshAsync()).Status);
        Assert.Equal(CertificateStatus.Unhealthy, (await strict.RefreshAsync()).Status);
    }
}
