using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CertGuard.Cli;
using CertGuard.Cli.Owners;
using CertGuard.Cli.Reporting;
using CertGuard.Cli.Scanning;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;

namespace CertGuard.Benchmarks;

/// <summary>
/// <c>certguard scan</c> of a directory of PEM certificates (one per file) against a bare loop of
/// <see cref="X509CertificateLoader.LoadCertificate(byte[])"/> over the same bytes. Per-certificate figures:
/// each operation handles <see cref="FileCount"/> certificates.
/// </summary>
[Config(typeof(DirectoryScanBenchmarks.Config))]
public class DirectoryScanBenchmarks
{
    /// <summary>
    /// Each operation takes seconds, so a few monitored iterations suffice; in-process, because building a separate
    /// benchmark executable outlives BenchmarkDotNet's build timeout on a busy two-core machine.
    /// </summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(5)
                .WithToolchain(InProcessEmitToolchain.Instance));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    private const int FileCount = 10_000;
    private string _directory = string.Empty;
    private byte[][] _contents = [];
    private string[] _paths = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = DirectoryScanCorpus.Create(FileCount);
        _paths = Directory.GetFiles(_directory).Order(StringComparer.Ordinal).ToArray();
        _contents = _paths.Select(File.ReadAllBytes).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    /// <summary>The yardstick: parse bytes already in memory, nothing else.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = FileCount)]
    public int BareLoadCertificate()
    {
        var count = 0;
        foreach (var content in _contents)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(content);
            count += certificate.RawDataMemory.Length > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>The yardstick with the file reads a scan must also do.</summary>
    [Benchmark(OperationsPerInvoke = FileCount)]
    public int BareReadAndLoadCertificate()
    {
        var count = 0;
        foreach (var path in _paths)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(File.ReadAllBytes(path));
            count += certificate.RawDataMemory.Length > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>The whole scan, one file at a time: find, read, load, inspect, judge.</summary>
    [Benchmark(OperationsPerInvoke = FileCount)]
    public Task<int> ScanDirectorySequential() => ScanAsync(concurrency: 1, writeJson: false);

    /// <summary>The scan as the CLI runs it by default (all cores), with the JSON report written.</summary>
    [Benchmark(OperationsPerInvoke = FileCount)]
    public Task<int> ScanDirectoryParallelWithJson() => ScanAsync(concurrency: Math.Max(4, Environment.ProcessorCount), writeJson: true);

    private async Task<int> ScanAsync(int concurrency, bool writeJson)
    {
        var settings = DirectoryScanCorpus.Settings(_directory, concurrency);
        var console = new CliConsole(TextWriter.Null, TextWriter.Null);
        var inventory = await new InventoryScanner(null, TimeProvider.System).ScanAsync(settings, console, CancellationToken.None);
        if (writeJson)
        {
            new JsonReportWriter().Write(inventory, TextWriter.Null, ReportTerminal.Plain);
        }

        return inventory.Certificates.Count;
    }
}

/// <summary>A directory of distinct PEM certificates minted for the benchmark.</summary>
internal static class DirectoryScanCorpus
{
    public static string Create(int count)
    {
        var directory = Path.Combine(Path.GetTempPath(), "certguard-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var request = new CertificateRequest($"CN=host{i}.bench.example", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName($"host{i}.bench.example");
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(now.AddDays(-30 - (i % 300)), now.AddDays(1 + (i % 365)));
            File.WriteAllText(Path.Combine(directory, $"cert{i:D5}.pem"), certificate.ExportCertificatePem() + "\n");
        }

        return directory;
    }

    public static ScanSettings Settings(string directory, int concurrency) => new()
    {
        Targets = [directory],
        Format = ReportFormat.Json,
        LoadOptions = CertificateLoadOptions.Default,
        EndpointTrust = ChainTrust.System,
        Policy = new CertificatePolicyOptions(),
        Owners = OwnerMap.Empty,
        Concurrency = concurrency,
        Quiet = true,
    };
}
