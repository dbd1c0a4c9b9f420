using System.Collections;
using CertGuard.HealthChecks;
using CertGuard.Loading;
using CertGuard.Monitoring;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CertGuard.Tests.HealthChecks;

public sealed class CertificateHealthCheckTests
{
    [Fact]
    public async Task A_thousand_polls_read_the_snapshot_and_never_load_the_source()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("web.example", clock.GetUtcNow(), 60);
        var source = new CountingSource("web", certificate);
        using var monitor = MonitorFactory.Create(clock, [source]);
        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        var loadsAfterStart = source.Loads;

        var check = new CertificateHealthCheck(monitor, "web");
        for (var i = 0; i < 1000; i++)
        {
            var result = await check.CheckHealthAsync(Context(check));
            Assert.Equal(HealthStatus.Healthy, result.Status);
        }

        Assert.Equal(1, loadsAfterStart);
        Assert.Equal(loadsAfterStart, source.Loads);
        await monitor.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(90, 31, HealthStatus.Healthy)]
    [InlineData(90, 29, HealthStatus.Degraded)]
    [InlineData(47, 16, HealthStatus.Healthy)] // window is 47/3 = 15.7 days, not 30
    [InlineData(47, 15, HealthStatus.Degraded)]
    [InlineData(365, 31, HealthStatus.Healthy)]
    [InlineData(365, 29, HealthStatus.Degraded)]
    [InlineData(90, 0.5, HealthStatus.Degraded)] // still serving: Degraded, not Unhealthy
    [InlineData(90, -1, HealthStatus.Unhealthy)]
    public async Task The_warning_window_is_the_smaller_of_30_days_and_a_third_of_the_lifetime(double lifetimeDays, double daysLeft, HealthStatus expected)
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("web.example", clock.GetUtcNow(), daysLeft, lifetimeDays);

        var result = await CheckAsync(clock, new CountingSource("web", certificate));

        Assert.Equal(expected, result.Status);
    }

    [Fact]
    public async Task Before_the_first_refresh_the_check_is_Degraded_not_yet_checked_so_a_deploy_is_never_failed_for_a_slow_scan()
    {
        var clock = MonitorFactory.Clock();
        using var monitor = MonitorFactory.Create(clock, [new CountingSource("web", null)]);
        var check = new CertificateHealthCheck(monitor, "web");

        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("Not yet checked", result.Description);
    }

    [Fact]
    public async Task The_failure_status_of_the_registration_replaces_Unhealthy_but_not_Degraded()
    {
        var clock = MonitorFactory.Clock();
        using var expired = MintedCertificates.WithDaysLeft("old.example", clock.GetUtcNow(), -3);
        using var expiring = MintedCertificates.WithDaysLeft("soon.example", clock.GetUtcNow(), 5);
        using var monitor = MonitorFactory.Create(clock, [new CountingSource("old", expired), new CountingSource("soon", expiring)]);
        await monitor.RefreshAsync();

        var old = new CertificateHealthCheck(monitor, "old");
        var soon = new CertificateHealthCheck(monitor, "soon");

        Assert.Equal(HealthStatus.Unhealthy, (await old.CheckHealthAsync(Context(old))).Status);
        Assert.Equal(HealthStatus.Degraded, (await old.CheckHealthAsync(Context(old, HealthStatus.Degraded))).Status);
        Assert.Equal(HealthStatus.Degraded, (await soon.CheckHealthAsync(Context(soon, HealthStatus.Unhealthy))).Status);
    }

    [Fact]
    public async Task The_result_names_the_worst_certificate_and_carries_facts_a_person_can_act_on()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("soon.example", clock.GetUtcNow(), 10);
        var source = new CountingSource("payments-tls", certificate) { Owner = "team-payments" };

        var result = await CheckAsync(clock, source);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("'payments-tls'", result.Description);
        Assert.Contains("CN=soon.example", result.Description);
        Assert.Contains("expires-soon", result.Description);
        Assert.DoesNotContain("\n", result.Description, StringComparison.Ordinal);

        var entry = Assert.IsType<Dictionary<string, object?>>(Assert.Single((IList)result.Data["certificates"]));
        Assert.Equal("payments-tls", entry["name"]);
        Assert.Equal("team-payments", entry["owner"]);
        Assert.Equal("test:payments-tls", entry["location"]);
        Assert.Equal("CN=soon.example", entry["subject"]);
        Assert.Equal(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), entry["thumbprint"]);
        Assert.Equal(certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), entry["notAfter"]);
        Assert.Equal(10, entry["daysRemaining"]);
        Assert.Equal("Degraded", entry["status"]);
        var findings = ((IList)entry["findings"]!).Cast<Dictionary<string, object?>>().ToList();
        var finding = Assert.Single(findings, f => f["id"] is "expires-soon");
        Assert.Equal("Warning", finding["severity"]);
        Assert.Equal(false, result.Data["stale"]);
    }

    [Fact]
    public async Task Load_errors_and_staleness_are_in_the_data()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("api.example", clock.GetUtcNow(), 60);
        var flaky = new CountingSource("flaky", certificate);
        var missing = new CountingSource("missing", null) { Error = new LoadError("/etc/tls/missing.pem", LoadErrorReason.NotFound, "file does not exist") };
        using var monitor = MonitorFactory.Create(clock, [flaky, missing], o =>
        {
            o.Sources.Clear();
            o.Sources.Add(new MonitoredSource(flaky, "all"));
            o.Sources.Add(new MonitoredSource(missing, "all"));
        });
        await monitor.RefreshAsync();
        flaky.Error = new LoadError("test:flaky", LoadErrorReason.ConnectionFailed, "connection refused");
        await monitor.RefreshAsync();
        var check = new CertificateHealthCheck(monitor, "all");

        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("'missing' cannot be loaded", result.Description);
        Assert.Equal(true, result.Data["stale"]);
        var errors = ((IList)result.Data["errors"]).Cast<Dictionary<string, object?>>().ToList();
        Assert.Contains(errors, e => (string?)e["reason"] == "NotFound" && (string?)e["location"] == "/etc/tls/missing.pem");
        var sources = ((IList)result.Data["sources"]).Cast<Dictionary<string, object?>>().ToList();
        var stale = Assert.Single(sources, s => (bool)s["stale"]!);
        Assert.Equal("flaky", stale["name"]);
        Assert.Contains("connection refused", (string?)stale["staleReason"]);
    }

    [Fact]
    public async Task A_poll_reuses_the_result_computed_for_the_snapshot()
    {
        var clock = MonitorFactory.Clock();
        using var certificate = MintedCertificates.WithDaysLeft("web.example", clock.GetUtcNow(), 60);
        using var monitor = MonitorFactory.Create(clock, [new CountingSource("web", certificate)]);
        await monitor.RefreshAsync();
        var check = new CertificateHealthCheck(monitor, "web");

        var first = check.CheckHealthAsync(Context(check));
        var second = check.CheckHealthAsync(Context(check));
        Assert.Same(first, second);

        await monitor.RefreshAsync();
        Assert.NotSame(first, check.CheckHealthAsync(Context(check)));
    }

    internal static HealthCheckContext Context(IHealthCheck check, HealthStatus failureStatus = HealthStatus.Unhealthy) =>
        new() { Registration = new HealthCheckRegistration("test", check, failureStatus, tags: null) };

    private static async Task<HealthCheckResult> CheckAsync(TimeProvider clock, CountingSource source)
    {
        using var monitor = MonitorFactory.Create(clock, [source]);
        await monitor.RefreshAsync();
        var check = new CertificateHealthCheck(monitor, source.Name);
        return await check.CheckHealthAsync(Context(check));
    }
}
