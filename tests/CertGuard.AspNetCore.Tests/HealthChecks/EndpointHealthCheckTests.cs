using System.Collections;
using System.Net;
using System.Net.Sockets;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Inspection;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CertGuard.AspNetCore.Tests.HealthChecks;

/// <summary>Health checks over real Kestrel TLS endpoints on loopback, registered the way an application would.</summary>
public sealed class EndpointHealthCheckTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TestCertificateAuthority _intermediate;
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-endpoint-health-").FullName;

    public EndpointHealthCheckTests() => _intermediate = _root.CreateIntermediate();

    public void Dispose()
    {
        _intermediate.Dispose();
        _root.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Healthy_expiring_expired_untrusted_wrong_name_and_down_endpoints_each_get_the_right_status()
    {
        var now = DateTimeOffset.UtcNow;
        using var healthyLeaf = _intermediate.IssueServerCertificate("localhost", notBefore: now.AddDays(-30), notAfter: now.AddDays(60));
        using var expiringLeaf = _intermediate.IssueServerCertificate("localhost", notBefore: now.AddDays(-80), notAfter: now.AddDays(10));
        using var expiredLeaf = _intermediate.IssueServerCertificate("localhost", notBefore: now.AddDays(-91), notAfter: now.AddDays(-1));
        using var selfSigned = TestCertificateAuthority.CreateSelfSignedServerCertificate("localhost");
        await using var healthy = await TlsTestServer.StartAsync(healthyLeaf, [_intermediate.Certificate]);
        await using var expiring = await TlsTestServer.StartAsync(expiringLeaf, [_intermediate.Certificate]);
        await using var expired = await TlsTestServer.StartAsync(expiredLeaf, [_intermediate.Certificate]);
        await using var untrusted = await TlsTestServer.StartAsync(selfSigned);
        var downPort = FreePort();

        using var host = await StartHostAsync(checks => checks
            .AddCertificateSource(Trusted(healthy, "healthy"))
            .AddCertificateSource(Trusted(expiring, "expiring"))
            .AddCertificateSource(Trusted(expired, "expired"))
            .AddCertificateSource(Trusted(healthy, "wrong-name", serverName: "other.example"))
            .AddCertificateEndpoint(untrusted.Host, untrusted.Port, serverName: "localhost", name: "untrusted")
            .AddCertificateEndpoint("127.0.0.1", downPort, name: "down", owner: "team-edge"));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["healthy"].Status);
        Assert.Equal(HealthStatus.Degraded, report.Entries["expiring"].Status);
        Assert.Contains("expires-soon", report.Entries["expiring"].Description);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["expired"].Status);
        Assert.Contains("expired", report.Entries["expired"].Description);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["untrusted"].Status);
        Assert.Contains(FindingIds.UntrustedChain, FindingIdsOf(report.Entries["untrusted"]));
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["wrong-name"].Status);
        Assert.Contains(FindingIds.HostnameMismatch, FindingIdsOf(report.Entries["wrong-name"]));
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["down"].Status);
        Assert.Contains("cannot be loaded", report.Entries["down"].Description);
        Assert.Contains("ConnectionFailed", report.Entries["down"].Description);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_black_holed_endpoint_delays_no_other_check_and_ends_Unhealthy_with_a_timeout()
    {
        using var healthyLeaf = _intermediate.IssueServerCertificate("localhost");
        await using var healthy = await TlsTestServer.StartAsync(healthyLeaf, [_intermediate.Certificate]);
        using var blackHole = await SaturatedListener.StartAsync();
        var release = new TaskCompletionSource();

        using var host = await StartHostAsync(checks => checks
            .AddCertificateSource(new TlsEndpointCertificateSource("127.0.0.1", blackHole.Port, name: "black-hole")
            {
                ConnectTimeout = TimeSpan.FromSeconds(3), HandshakeTimeout = HangGuard, Timeout = HangGuard,
            })
            .AddCertificateSource(Trusted(healthy, "healthy")), waitForFirstRefresh: false);
        var monitor = host.Services.GetRequiredService<CertificateMonitor>();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        // The healthy endpoint is checked while the black hole's connect is still hanging.
        await WaitUntilAsync(() => monitor.Snapshot.Sources.Single(s => s.Source.Name == "healthy").IsChecked);
        var early = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, early.Entries["healthy"].Status);
        if (!monitor.Snapshot.Sources.Single(s => s.Source.Name == "black-hole").IsChecked)
        {
            Assert.Equal(HealthStatus.Degraded, early.Entries["black-hole"].Status);
            Assert.Contains("not yet checked", early.Entries["black-hole"].Description);
        }

        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(30));
        var late = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, late.Entries["black-hole"].Status);
        Assert.Contains("Timeout", late.Entries["black-hole"].Description);
        Assert.Equal(HealthStatus.Healthy, late.Entries["healthy"].Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task An_endpoint_configured_in_the_CertGuard_section_with_custom_roots_is_watched()
    {
        using var leaf = _intermediate.IssueServerCertificate("localhost");
        await using var server = await TlsTestServer.StartAsync(leaf, [_intermediate.Certificate]);
        var roots = Path.Combine(_directory, "roots.pem");
        await File.WriteAllTextAsync(roots, _root.Certificate.ExportCertificatePem());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CertGuard:Certificates:0:Endpoint"] = server.Endpoint,
            ["CertGuard:Certificates:0:ServerName"] = "localhost",
            ["CertGuard:Certificates:0:Name"] = "api",
            ["CertGuard:Certificates:0:Trust"] = "Custom",
            ["CertGuard:Certificates:0:TrustedRootsPath"] = roots,
        }).Build();

        using var host = await StartHostAsync(checks => checks.AddCertGuard(configuration.GetSection("CertGuard")));
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["certguard"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        var certificate = Assert.IsType<Dictionary<string, object?>>(Assert.Single((IList)entry.Data["certificates"]));
        Assert.Equal("api", certificate["name"]);
        Assert.Equal(["localhost"], server.ReceivedServerNames.Distinct());
        await host.StopAsync();
    }

    private TlsEndpointCertificateSource Trusted(TlsTestServer server, string name, string serverName = "localhost") =>
        new(server.Host, server.Port, serverName, name)
        {
            Trust = ChainTrust.Custom([_root.Certificate]),
            ConnectTimeout = HangGuard,
            HandshakeTimeout = HangGuard,
        };

    private static async Task<IHost> StartHostAsync(Action<IHealthChecksBuilder> register, bool waitForFirstRefresh = true)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        register(builder.Services.AddHealthChecks());
        var host = builder.Build();
        await host.StartAsync();
        if (waitForFirstRefresh)
        {
            await host.Services.GetRequiredService<CertificateMonitor>().FirstRefresh.WaitAsync(TimeSpan.FromSeconds(60));
        }

        return host;
    }

    private static IEnumerable<string?> FindingIdsOf(HealthReportEntry entry) =>
        ((IList)entry.Data["certificates"]).Cast<Dictionary<string, object?>>()
            .SelectMany(c => ((IList)c["findings"]!).Cast<Dictionary<string, object?>>())
            .Select(f => (string?)f["id"]);

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "hang guard: the condition never held");
            await Task.Delay(20);
        }
    }
}
