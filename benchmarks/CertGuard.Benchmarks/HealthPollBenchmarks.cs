using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using CertGuard.HealthChecks;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CertGuard.Benchmarks;

/// <summary>
/// What a load balancer's poll costs: 100 watched certificate files and 5 in-memory sources standing in for endpoints
/// (a poll never touches either), all reported by one health check.
/// </summary>
[MemoryDiagnoser]
public class HealthPollBenchmarks
{
    private string _directory = string.Empty;
    private CertificateMonitor _monitor = null!;
    private CertificateHealthCheck _check = null!;
    private HealthCheckContext _context = null!;
    private ServiceProvider _services = null!;
    private HealthCheckService _healthCheckService = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("certguard-bench-").FullName;
        var options = new CertificateMonitorOptions();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 100; i++)
        {
            var path = Path.Combine(_directory, $"cert-{i:000}.pem");
            using var certificate = Mint($"host-{i}.example", now.AddDays(-30), now.AddDays(30 + i));
            File.WriteAllText(path, certificate.ExportCertificatePem());
            options.Sources.Add(new MonitoredSource(new FileCertificateSource(path, name: $"file-{i}"), "certguard"));
        }

        for (var i = 0; i < 5; i++)
        {
            var certificate = Mint($"endpoint-{i}.example", now.AddDays(-30), now.AddDays(60));
            options.Sources.Add(new MonitoredSource(new InMemoryCertificateSource(certificate, $"endpoint-{i}"), "certguard"));
        }

        _monitor = new CertificateMonitor(Options.Create(options), Options.Create(new CertificatePolicyOptions()));
        _monitor.RefreshAsync().GetAwaiter().GetResult();
        _check = new CertificateHealthCheck(_monitor, "certguard");
        _context = new HealthCheckContext { Registration = new HealthCheckRegistration("certguard", _check, HealthStatus.Unhealthy, null) };

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().Add(new HealthCheckRegistration("certguard", _ => _check, null, null));
        _services = services.BuildServiceProvider();
        _healthCheckService = _services.GetRequiredService<HealthCheckService>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _monitor.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One poll of the certificate health check: a snapshot read and a cached result.</summary>
    [Benchmark(Baseline = true)]
    public Task<HealthCheckResult> CheckPoll() => _check.CheckHealthAsync(_context);

    /// <summary>The first poll after a refresh: the result is built from the snapshot (105 sources, 105 certificates).</summary>
    [Benchmark]
    public object BuildResultForNewSnapshot() => CertificateHealthView.Create(new CertificateSnapshot(1, _monitor.Snapshot.Sources, isStarted: true), "certguard");

    /// <summary>The same poll through ASP.NET Core's health check service, as /health runs it.</summary>
    [Benchmark]
    public Task<HealthReport> HealthCheckServicePoll() => _healthCheckService.CheckHealthAsync();

    private static X509Certificate2 Mint(string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(commonName);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }
}
