using CertGuard.Monitoring;
using CertGuard.Sources;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CertGuard.Tests.DependencyInjection;

public sealed class AddCertificateSourcesTests
{
    [Fact]
    public async Task Sources_found_from_the_services_are_watched_under_one_named_check()
    {
        var now = DateTimeOffset.UtcNow;
        using var first = MintedCertificates.WithDaysLeft("first.example", now, daysLeft: 60, lifetimeDays: 90);
        using var second = MintedCertificates.WithDaysLeft("second.example", now, daysLeft: 10, lifetimeDays: 90);
        var resolved = 0;
        using var host = await TestHosts.StartAsync(TestHosts.Memory(), (services, _) =>
        {
            services.AddSingleton(new[] { first, second });
            services.AddHealthChecks().AddCertificateSources("found", provider =>
            {
                resolved++;
                var certificates = provider.GetRequiredService<System.Security.Cryptography.X509Certificates.X509Certificate2[]>();
                return certificates.Select((c, i) => new InMemoryCertificateSource(c, $"found-{i}"));
            }, tags: ["ready"]);
        });

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var sources = host.Services.GetRequiredService<CertificateMonitor>().Snapshot.SourcesOf("found");
        Assert.Equal(["found-0", "found-1"], sources.Select(s => s.Source.Name));
        Assert.Equal(HealthStatus.Degraded, report.Entries["found"].Status);
        Assert.Contains("ready", report.Entries["found"].Tags);
        Assert.True(resolved >= 1);
    }
}
