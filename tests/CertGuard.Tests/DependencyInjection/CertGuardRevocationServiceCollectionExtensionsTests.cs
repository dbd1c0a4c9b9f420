using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Tests.Inspection.Revocation;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CertGuard.Tests.DependencyInjection;

public sealed class CertGuardRevocationServiceCollectionExtensionsTests
{
    [Fact]
    public void The_checker_is_one_singleton_with_the_configured_options()
    {
        var services = new ServiceCollection().AddCertificateRevocationChecker(o => o.RequestTimeout = TimeSpan.FromSeconds(2));
        using var provider = services.BuildServiceProvider();

        var checker = Assert.IsType<OcspCrlRevocationChecker>(provider.GetRequiredService<IRevocationChecker>());

        Assert.Same(checker, provider.GetRequiredService<IRevocationChecker>());
        Assert.Equal(TimeSpan.FromSeconds(2), checker.Options.RequestTimeout);
    }

    [Fact]
    public void Options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Revocation:RequestTimeout"] = "00:00:03",
            ["Revocation:PreferOcsp"] = "false",
            ["Revocation:MaxCrlSize"] = "1048576",
        }).Build();
        var services = new ServiceCollection()
            .Configure<RevocationCheckerOptions>(configuration.GetSection("Revocation"))
            .AddCertificateRevocationChecker();
        using var provider = services.BuildServiceProvider();

        var options = ((OcspCrlRevocationChecker)provider.GetRequiredService<IRevocationChecker>()).Options;

        Assert.Equal((TimeSpan.FromSeconds(3), false, 1_048_576L), (options.RequestTimeout, options.PreferOcsp, options.MaxCrlSize));
    }

    [Fact]
    public void Invalid_options_fail_when_the_checker_is_resolved_naming_the_setting()
    {
        var services = new ServiceCollection().AddCertificateRevocationChecker(o => o.TotalTimeout = TimeSpan.FromSeconds(1));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IRevocationChecker>());

        Assert.Contains("TotalTimeout must be at least RequestTimeout.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Online", RevocationCheckMode.Online)]
    [InlineData("offline", RevocationCheckMode.Offline)]
    [InlineData("OFF", RevocationCheckMode.Off)]
    public void The_revocation_mode_binds_from_configuration_text(string text, RevocationCheckMode expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Mode"] = text }).Build();

        Assert.Equal(expected, configuration.GetValue<RevocationCheckMode>("Mode"));
    }

    [Fact]
    public async Task A_configured_file_with_revocation_online_reports_a_revoked_certificate_as_unhealthy()
    {
        await using var responder = await RevocationTestServer.StartAsync();
        using var leaf = responder.IssueLeaf("revoked.test");
        responder.Revoke(leaf, DateTimeOffset.UtcNow.AddHours(-3), Org.BouncyCastle.Asn1.X509.CrlReason.KeyCompromise);
        var directory = Directory.CreateTempSubdirectory("certguard-revocation-di-").FullName;
        try
        {
            var path = Path.Combine(directory, "fullchain.pem");
            await File.WriteAllTextAsync(path, leaf.ExportCertificatePem() + "\n" + responder.Pki.Certificate.ExportCertificatePem() + "\n");
            var configuration = TestHosts.Memory(
                ("CertGuard:Certificates:0:Path", path),
                ("CertGuard:Certificates:0:Revocation", "Online"),
                ("CertGuard:Certificates:1:Path", path),
                ("CertGuard:Certificates:1:Name", "unchecked"));
            using var host = await TestHosts.StartAsync(configuration, (services, config) =>
            {
                services.AddCertificateRevocationChecker();
                services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard"));
            });

            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

            Assert.Equal(HealthStatus.Unhealthy, report.Entries["certguard"].Status);
            var reports = host.Services.GetRequiredService<CertificateMonitor>().Snapshot.Sources.SelectMany(s => s.Reports).ToList();
            Assert.Contains(reports, r => r.SourceName == path && r.Findings.Any(f => f.Id == FindingIds.Revoked));
            Assert.DoesNotContain(reports, r => r.SourceName == "unchecked" && r.Facts.Revocation is not null);
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Ocsp_and_crl_requests_go_through_the_named_http_client_a_user_can_add_a_handler_to()
    {
        await using var responder = await RevocationTestServer.StartAsync();
        using var leaf = responder.IssueLeaf("through-factory.test");
        responder.Revoke(leaf, DateTimeOffset.UtcNow.AddHours(-1), Org.BouncyCastle.Asn1.X509.CrlReason.KeyCompromise);
        var seen = new CountingHandler();
        var services = new ServiceCollection().AddCertificateRevocationChecker();
        services.AddHttpClient(CertGuardRevocationServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => seen);
        using var provider = services.BuildServiceProvider();
        var checker = provider.GetRequiredService<IRevocationChecker>();
        var loaded = new CertGuard.Loading.LoadedCertificate(leaf, "through-factory.pem", CertGuard.Loading.CertificateFormat.Pem)
        {
            PresentedChain = [responder.Pki.Certificate],
        };
        var facts = new CertificateInspector().Inspect(loaded);

        var revocation = await checker.CheckAsync(loaded, facts, RevocationCheckMode.Online, CancellationToken.None);

        Assert.Equal(RevocationStatus.Revoked, revocation?.Status);
        Assert.True(seen.Requests > 0, "no request went through the named client's handler");
        Assert.Equal(seen.Requests, responder.OcspRequests + responder.CrlRequests);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
