using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using CertGuard.AspNetCore.Reload;

namespace CertGuard.Benchmarks;

/// <summary>
/// What the safe reloader costs: the certificate choice made on every TLS handshake (three sets of files: two by SNI
/// name, one default), and the periodic check of unchanged files (resolve links, stat each file).
/// </summary>
[MemoryDiagnoser]
public class ReloadBenchmarks
{
    private string _directory = string.Empty;
    private ServerCertificateReloader _reloader = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("certguard-reload-bench-").FullName;
        _reloader = new ServerCertificateReloader(new ServerCertificateReloaderOptions { WatchFiles = false, RefreshInterval = TimeSpan.FromHours(1) });
        foreach (var (name, names) in new[] { ("api", new[] { "api.example.test" }), ("www", new[] { "www.example.test", "*.cdn.example.test" }), ("default", Array.Empty<string>()) })
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}.example.test", key, HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
            var certPath = Path.Combine(_directory, name + ".crt");
            var keyPath = Path.Combine(_directory, name + ".key");
            File.WriteAllText(certPath, certificate.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            _reloader.Add(certPath, keyPath, null, names);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reloader.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>An exact SNI match.</summary>
    [Benchmark(Baseline = true)]
    public SslStreamCertificateContext? SelectByName() => _reloader.SelectContext("www.example.test");

    /// <summary>A wildcard match, after every exact name was compared.</summary>
    [Benchmark]
    public SslStreamCertificateContext? SelectByWildcard() => _reloader.SelectContext("img.cdn.example.test");

    /// <summary>No name matches: the default certificate.</summary>
    [Benchmark]
    public SslStreamCertificateContext? SelectDefault() => _reloader.SelectContext("unknown.test");

    /// <summary>The periodic check when nothing changed: six files fingerprinted, none read.</summary>
    [Benchmark]
    public void RefreshUnchanged() => _reloader.Refresh();
}
