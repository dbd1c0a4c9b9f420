using System.Security.Cryptography.X509Certificates;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CertGuard.Tests.HealthChecks;

/// <summary>
/// Certificates deployed the way certbot, Kubernetes and cert-manager deploy them, watched as the README shows: a
/// certificate with a 0600 PEM key beside it, and a full chain whose intermediate carries serverAuth as public ones do.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeployedFilesHealthTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _intermediate;
    private readonly X509Certificate2 _leaf;

    public DeployedFilesHealthTests()
    {
        _root = TestCertificates.Create("CN=Test ACME Root X9", Now.AddYears(-5), Now.AddYears(10), isCa: true);

        // Public intermediates (Let's Encrypt's among them) carry the serverAuth and clientAuth EKUs.
        _intermediate = TestCertificates.Create("CN=Test ACME Intermediate R9", Now.AddYears(-1), Now.AddYears(2), isCa: true,
            ekus: [TestCertificates.Oids.ServerAuth, TestCertificates.Oids.ClientAuth], issuer: _root);
        _leaf = TestCertificates.Create("CN=www.example.test", Now.AddDays(-10), Now.AddDays(80), dnsNames: ["www.example.test"],
            ekus: [TestCertificates.Oids.ServerAuth], issuer: _intermediate);
    }

    public void Dispose()
    {
        _leaf.Dispose();
        _intermediate.Dispose();
        _root.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(0b110_000_000, HealthStatus.Healthy, FindingSeverity.Info)]      // chmod 600
    [InlineData(0b100_000_000, HealthStatus.Healthy, FindingSeverity.Info)]      // chmod 400
    [InlineData(0b110_100_000, HealthStatus.Degraded, FindingSeverity.Warning)]  // chmod 640
    [InlineData(0b110_100_100, HealthStatus.Degraded, FindingSeverity.Warning)]  // chmod 644
    public async Task The_readme_path_and_key_path_example_is_judged_by_the_key_files_permissions(int mode, HealthStatus expected, FindingSeverity severity)
    {
        var certificatePath = _dir.Write("tls.crt", TestCertificates.Pem(_leaf));
        var keyPath = _dir.Write("tls.key", TestCertificates.PrivateKeyPem(_leaf));
        File.SetUnixFileMode(keyPath, (UnixFileMode)mode);

        var (status, findings) = await WatchAsync(("CertGuard:Certificates:0:Name", "web"), ("CertGuard:Certificates:0:Path", certificatePath), ("CertGuard:Certificates:0:KeyPath", keyPath));

        Assert.Equal(expected, status);
        var finding = Assert.Single(findings);
        Assert.Equal((FindingIds.UnprotectedPrivateKey, severity), (finding.Id, finding.Severity));
    }

    [Fact]
    public async Task A_kubernetes_key_link_is_judged_by_the_file_behind_it()
    {
        var data = Directory.CreateDirectory(_dir["..2026_12_06_05_00_00.123456789"]).FullName;
        File.WriteAllText(Path.Combine(data, "tls.crt"), TestCertificates.Pem(_leaf));
        File.WriteAllText(Path.Combine(data, "tls.key"), TestCertificates.PrivateKeyPem(_leaf));
        File.SetUnixFileMode(Path.Combine(data, "tls.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(_dir["..data"], Path.GetFileName(data));
        File.CreateSymbolicLink(_dir["tls.crt"], "..data/tls.crt");
        File.CreateSymbolicLink(_dir["tls.key"], "..data/tls.key");

        var (status, findings) = await WatchAsync(("CertGuard:Certificates:0:Name", "web"), ("CertGuard:Certificates:0:Path", _dir["tls.crt"]), ("CertGuard:Certificates:0:KeyPath", _dir["tls.key"]));

        Assert.Equal(HealthStatus.Healthy, status);
        Assert.Contains("(mode 0600)", Assert.Single(findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certbot_full_chain_with_a_server_auth_intermediate_is_healthy()
    {
        var fullchain = _dir.Write("fullchain.pem", TestCertificates.Pem(_leaf, _intermediate));
        var privkey = _dir.Write("privkey.pem", TestCertificates.PrivateKeyPem(_leaf));
        File.SetUnixFileMode(privkey, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (status, findings) = await WatchAsync(("CertGuard:Certificates:0:Name", "web"), ("CertGuard:Certificates:0:Path", fullchain), ("CertGuard:Certificates:0:KeyPath", privkey));

        Assert.Equal(HealthStatus.Healthy, status);
        Assert.Equal([FindingIds.UnprotectedPrivateKey], findings.Select(f => f.Id));
        Assert.DoesNotContain(findings, f => f.Id == FindingIds.LeafIsCa);
    }

    [Fact]
    public async Task A_full_chain_watched_with_its_root_trusted_is_healthy_and_its_intermediate_is_reported_as_a_chain_certificate()
    {
        var fullchain = _dir.Write("fullchain.pem", TestCertificates.Pem(_leaf, _intermediate));
        var root = _dir.Write("root.pem", TestCertificates.Pem(_root));

        using var host = await TestHosts.StartAsync(Configuration(
            ("CertGuard:Certificates:0:Name", "web"), ("CertGuard:Certificates:0:Path", fullchain),
            ("CertGuard:Certificates:0:Trust", "Custom"), ("CertGuard:Certificates:0:TrustedRootsPath", root)), Register);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        var reports = host.Services.GetRequiredService<CertificateMonitor>().Snapshot.Reports;
        Assert.Equal(2, reports.Count);
        Assert.False(Assert.Single(reports, r => r.Facts.Subject == _leaf.Subject).Facts.IsChainMember);
        var intermediate = Assert.Single(reports, r => r.Facts.Subject == _intermediate.Subject);
        Assert.True(intermediate.Facts.IsChainMember);
        Assert.Empty(intermediate.Findings);
    }

    [Fact]
    public async Task A_full_chain_whose_intermediate_nears_expiry_says_so_as_an_intermediate_not_as_a_leaf()
    {
        // The intermediate is inside its 30-day window; the 30-day leaf, ending a day before it, is not inside its own (10 days).
        using var ending = TestCertificates.Create("CN=Test ACME Intermediate R10", Now.AddYears(-1), Now.AddDays(20), isCa: true,
            ekus: [TestCertificates.Oids.ServerAuth], issuer: _root);
        using var leaf = TestCertificates.Create("CN=www.example.test", Now.AddDays(-11), Now.AddDays(19), dnsNames: ["www.example.test"],
            ekus: [TestCertificates.Oids.ServerAuth], issuer: ending);
        var fullchain = _dir.Write("fullchain.pem", TestCertificates.Pem(leaf, ending));

        var (status, findings) = await WatchAsync(("CertGuard:Certificates:0:Name", "web"), ("CertGuard:Certificates:0:Path", fullchain));

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Equal([FindingIds.IntermediateExpiresSoon, FindingIds.IntermediateExpiresSoon], findings.Select(f => f.Id));
        Assert.DoesNotContain(findings, f => f.Id is FindingIds.ExpiresSoon or FindingIds.LeafIsCa or FindingIds.MissingSan);
    }

    [Fact]
    public async Task A_bundle_of_unrelated_ca_certificates_is_still_judged_certificate_by_certificate()
    {
        using var expiredCa = TestCertificates.Create("CN=Old Internal CA", Now.AddYears(-3), Now.AddDays(-1), isCa: true);
        var bundle = _dir.Write("ca-bundle.pem", TestCertificates.Pem(_root, expiredCa));

        var (status, findings) = await WatchAsync(("CertGuard:Certificates:0:Name", "bundle"), ("CertGuard:Certificates:0:Path", bundle));

        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Contains(findings, f => f.Id == FindingIds.Expired && f.Severity == FindingSeverity.Critical);
    }

    [Fact]
    public async Task The_clock_skew_tolerance_binds_from_configuration_and_a_bad_one_stops_the_host_naming_it()
    {
        var path = _dir.Write("tls.crt", TestCertificates.Pem(_leaf));
        using var host = await TestHosts.StartAsync(Configuration(("CertGuard:ClockSkewTolerance", "00:12:00"), ("CertGuard:Certificates:0:Path", path)), Register);
        Assert.Equal(TimeSpan.FromMinutes(12), host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CertificatePolicyOptions>>().Value.ClockSkewTolerance);

        using var bad = TestHosts.Build(Configuration(("CertGuard:ClockSkewTolerance", "-00:01:00"), ("CertGuard:Certificates:0:Path", path)), Register);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => bad.StartAsync());
        Assert.Contains("ClockSkewTolerance", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] values) => TestHosts.Memory(values);

    private static void Register(IServiceCollection services, IConfiguration configuration) =>
        services.AddHealthChecks().AddCertGuard(configuration.GetSection("CertGuard"));

    private static async Task<(HealthStatus Status, List<Finding> Findings)> WatchAsync(params (string Key, string? Value)[] values)
    {
        using var host = await TestHosts.StartAsync(Configuration(values), Register);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var findings = host.Services.GetRequiredService<CertificateMonitor>().Snapshot.Reports.SelectMany(r => r.Findings).ToList();
        return (report.Entries["certguard"].Status, findings);
    }
}
