using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Policy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.AspNetCore.Tests.Reload;

/// <summary>
/// A CA dates a new certificate at issuance; on a replica whose clock lags a few minutes, the reloader serves it (clients
/// with right clocks accept it) instead of refusing it as not yet valid until the clock catches up.
/// </summary>
public sealed class ClockSkewReloadTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TestCertificateAuthority _intermediate;
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly FakeLogger<ServerCertificateReloader> _logger = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public ClockSkewReloadTests() => _intermediate = _root.CreateIntermediate();

    private string CertPath => Path.Combine(_directory.Path, "tls.crt");

    private string KeyPath => Path.Combine(_directory.Path, "tls.key");

    public void Dispose()
    {
        _services.Dispose();
        _directory.Dispose();
        _intermediate.Dispose();
        _root.Dispose();
    }

    [Theory]
    // The check runs one refresh interval (a minute) after the file is written: minutes ahead at the check are one fewer.
    [InlineData(3, null, true)]      // 2 minutes ahead at the check, default tolerance of 5: served
    [InlineData(6, null, true)]      // exactly the tolerance at the check: served
    [InlineData(7, null, false)]     // beyond the default: refused, the old one keeps serving
    [InlineData(3, 0, false)]        // no tolerance: refused
    [InlineData(20, 30, true)]       // a wider tolerance: served
    public async Task A_new_certificate_dated_ahead_of_the_host_clock_is_served_within_the_tolerance(int minutesAhead, int? toleranceMinutes, bool served)
    {
        using var working = _intermediate.IssueServerCertificate("app.test", notBefore: _time.GetUtcNow().AddDays(-30), notAfter: _time.GetUtcNow().AddDays(60));
        using var fresh = _intermediate.IssueServerCertificate("app.test", notBefore: _time.GetUtcNow().AddMinutes(minutesAhead), notAfter: _time.GetUtcNow().AddDays(90));
        CertificateFileWriter.WritePem(CertPath, KeyPath, working);
        var options = new ServerCertificateReloaderOptions { RefreshInterval = Interval, WatchFiles = false };
        if (toleranceMinutes is { } tolerance)
        {
            options.ClockSkewTolerance = TimeSpan.FromMinutes(tolerance);
        }

        using var reloader = new ServerCertificateReloader(options, _time, _logger, _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));
        Assert.Equal(working.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));

        CertificateFileWriter.WritePem(CertPath, KeyPath, fresh);
        _time.Advance(Interval);

        var state = Assert.Single(reloader.States);
        if (served)
        {
            Assert.Equal(fresh.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
            Assert.Null(state.Rejection);
        }
        else
        {
            Assert.Equal(working.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
            var rejection = Assert.IsType<Finding>(state.Rejection);
            Assert.Contains("(not-yet-valid)", rejection.Message, StringComparison.Ordinal);
            Assert.Contains("beyond the clock-skew tolerance", rejection.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_tolerance_never_lets_an_expired_certificate_in()
    {
        using var working = _intermediate.IssueServerCertificate("app.test", notBefore: _time.GetUtcNow().AddDays(-30), notAfter: _time.GetUtcNow().AddDays(60));
        using var expired = _intermediate.IssueServerCertificate("app.test", notBefore: _time.GetUtcNow().AddDays(-90), notAfter: _time.GetUtcNow().AddMinutes(-1));
        CertificateFileWriter.WritePem(CertPath, KeyPath, working);
        using var reloader = new ServerCertificateReloader(
            new ServerCertificateReloaderOptions { RefreshInterval = Interval, WatchFiles = false, ClockSkewTolerance = TimeSpan.FromHours(1) },
            _time, _logger, _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));

        CertificateFileWriter.WritePem(CertPath, KeyPath, expired);
        _time.Advance(Interval);

        Assert.Equal(working.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
        Assert.Contains("(expired)", Assert.IsType<Finding>(Assert.Single(reloader.States).Rejection).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(24 * 60 + 1)]
    public void A_negative_or_over_a_day_tolerance_is_refused_naming_the_setting(int minutes)
    {
        var error = Assert.Throws<ArgumentException>(() => new ServerCertificateReloader(new ServerCertificateReloaderOptions { ClockSkewTolerance = TimeSpan.FromMinutes(minutes) }));

        Assert.Contains("ClockSkewTolerance must be between 00:00:00 and 1.00:00:00", error.Message, StringComparison.Ordinal);
    }
}
