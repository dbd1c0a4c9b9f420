using CertGuard.DependencyInjection;
using CertGuard.Monitoring;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CertGuard.Tests.Monitoring;

public sealed class RemoteConcurrencyBoundTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(256)]
    public void A_bound_from_1_to_256_is_accepted(int bound)
    {
        var options = new CertificateMonitorOptions { MaxConcurrentRemoteRefreshes = bound };

        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData(0, "MaxConcurrentRemoteRefreshes must be between 1 and 256 (was 0).")]
    [InlineData(-1, "MaxConcurrentRemoteRefreshes must be between 1 and 256 (was -1).")]
    [InlineData(257, "MaxConcurrentRemoteRefreshes must be between 1 and 256 (was 257).")]
    [InlineData(int.MaxValue, "MaxConcurrentRemoteRefreshes must be between 1 and 256 (was 2147483647).")]
    public void A_bound_outside_1_to_256_is_refused_naming_the_setting(int bound, string expected)
    {
        var options = new CertificateMonitorOptions { MaxConcurrentRemoteRefreshes = bound };

        Assert.Equal([expected], options.Validate());
    }

    [Fact]
    public async Task An_unbounded_sweep_stops_the_host_at_start_naming_the_setting()
    {
        var configuration = TestHosts.Memory(("CertGuard:Certificates:0:Path", "/tmp/zero.pem"));
        using var host = TestHosts.Build(configuration, (services, config) =>
        {
            services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard"));
            services.Configure<CertificateMonitorOptions>(o => o.MaxConcurrentRemoteRefreshes = 100_000);
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MaxConcurrentRemoteRefreshes must be between 1 and 256 (was 100000).", error.Failures);
    }
}
