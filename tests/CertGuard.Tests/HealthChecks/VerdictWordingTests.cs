using System.Collections;
using CertGuard.HealthChecks;
using CertGuard.Policy;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CertGuard.Tests.HealthChecks;

/// <summary>Issue 15, item 10: the words agree with the verdict, and the day counts agree with each other.</summary>
public sealed class VerdictWordingTests
{
    [Theory]
    [InlineData(HealthStatus.Degraded, "Degraded: ")]
    [InlineData(HealthStatus.Unhealthy, "Unhealthy: ")]
    public async Task The_description_opens_with_the_status_actually_reported(HealthStatus failureStatus, string opening)
    {
        var clock = MonitorFactory.Clock();
        using var expired = MintedCertificates.WithDaysLeft("expired.example", clock.GetUtcNow(), -5.5);
        using var monitor = MonitorFactory.Create(clock, [new CountingSource("web", expired)]);
        await monitor.RefreshAsync();
        var check = new CertificateHealthCheck(monitor, "web");

        var result = await check.CheckHealthAsync(CertificateHealthCheckTests.Context(check, failureStatus));

        Assert.Equal(failureStatus, result.Status);
        Assert.StartsWith(opening + "'web' (CN=expired.example) expired: ", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(failureStatus == HealthStatus.Degraded ? "Unhealthy" : "Degraded", result.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-5.5, -5, "(5 days ago)")]
    [InlineData(-5.01, -5, "(5 days ago)")]
    [InlineData(-1.5, -1, "(1 day ago)")]
    [InlineData(-0.5, 0, "(12 hour(s) ago)")]
    [InlineData(10.5, 10, "in 10 days")]
    public async Task DaysRemaining_and_the_message_count_days_the_same_way(double daysLeft, int expectedDays, string expectedText)
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("web.example", clock.GetUtcNow(), daysLeft, lifetimeDays: 90);
        using var monitor = MonitorFactory.Create(clock, [new CountingSource("web", certificate)]);
        await monitor.RefreshAsync();
        var check = new CertificateHealthCheck(monitor, "web");

        var result = await check.CheckHealthAsync(CertificateHealthCheckTests.Context(check));

        var data = Assert.IsType<Dictionary<string, object?>>(Assert.Single((IList)result.Data["certificates"]));
        Assert.Equal(expectedDays, data["daysRemaining"]);
        var finding = ((IList)data["findings"]!).Cast<Dictionary<string, object?>>().Single(f => f["id"] is FindingIds.Expired or FindingIds.ExpiresSoon);
        Assert.Contains(expectedText, (string)finding["message"]!, StringComparison.Ordinal);
        Assert.Equal(expectedDays, monitor.Snapshot.Reports[0].DaysRemaining);
    }
}
