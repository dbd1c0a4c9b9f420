using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.Extensions.Options;

namespace CertGuard.Benchmarks.Sweep;

/// <summary>
/// <c>sweep --dir DIR [--bound N]</c>: one <see cref="CertificateMonitor"/> watching every name of a running
/// <c>sweep-server</c> as its own <see cref="TlsEndpointCertificateSource"/> (same port, different SNI name), timed from
/// <c>StartAsync</c> to <see cref="CertificateMonitor.FirstRefresh"/> (every source checked). Then checks the
/// snapshot (one report per name, the right subject, healthy, no errors) and prints one result line as JSON. Exits
/// with 1 when the snapshot is wrong. Each run is a fresh process, so peak memory is the run's own.
/// </summary>
internal static class EndpointSweep
{
    public static async Task<int> RunAsync(string[] args)
    {
        var directory = SweepArguments.Value(args, "--dir") ?? throw new ArgumentException("--dir is required");
        var bound = SweepArguments.Value(args, "--bound") is { } given ? int.Parse(given, CultureInfo.InvariantCulture) : (int?)null;
        var setup = await WaitForServerAsync(directory);
        using var root = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(directory, SweepSetup.RootFileName)));
        var trust = ChainTrust.Custom([root]);

        var options = new CertificateMonitorOptions();
        if (bound is { } b)
        {
            options.MaxConcurrentRemoteRefreshes = b;
        }

        // The defaults an application gets: 30 s per source, connect 5 s, handshake 10 s, revocation online (these
        // certificates name no responder, so the checker returns at once, as it does for most private PKI).
        var inFlight = new InFlightCounter();
        foreach (var name in setup.Names)
        {
            var endpoint = new TlsEndpointCertificateSource("127.0.0.1", setup.SniPort, name, name);
            var source = new InFlightCountingSource(endpoint, inFlight) { Trust = trust, Revocation = endpoint.Revocation, Timeout = endpoint.Timeout };
            options.Sources.Add(new MonitoredSource(source, "endpoints"));
        }

        using var revocation = new OcspCrlRevocationChecker();
        using var monitor = new CertificateMonitor(Options.Create(options), Options.Create(new CertificatePolicyOptions()), revocationChecker: revocation);
        using var control = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{setup.ControlPort}/") };
        await control.GetStringAsync("reset");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var rssBefore = Environment.WorkingSet;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromMinutes(30));
        var elapsed = clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var snapshot = monitor.Snapshot;
        await monitor.StopAsync(CancellationToken.None);

        var server = JsonDocument.Parse(await control.GetStringAsync("stats")).RootElement;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var retained = GC.GetTotalMemory(forceFullCollection: true);
        using var self = Process.GetCurrentProcess();
        self.Refresh();

        var problems = Check(snapshot, setup.Names);
        var handshakes = snapshot.Reports.Select(r => r.Facts.Connection?.HandshakeDuration.TotalMilliseconds ?? 0).Order().ToArray();
        var result = new
        {
            endpoints = setup.Names.Count,
            bound = options.MaxConcurrentRemoteRefreshes,
            seconds = Math.Round(elapsed.TotalSeconds, 2),
            endpointsPerSecond = Math.Round(setup.Names.Count / elapsed.TotalSeconds),
            clientPeakInFlight = inFlight.Peak,
            serverPeakConnections = server.GetProperty("peak").GetInt32(),
            serverConnections = server.GetProperty("total").GetInt64(),
            handshakeMsP50 = Percentile(handshakes, 0.50),
            handshakeMsP99 = Percentile(handshakes, 0.99),
            handshakeMsMax = handshakes.LastOrDefault(),
            reports = snapshot.Reports.Count,
            errors = snapshot.Errors.Count,
            healthy = snapshot.Sources.Count(s => s.Status == CertificateStatus.Healthy),
            snapshotVersion = snapshot.Version,
            allocatedMiB = Math.Round(allocated / 1048576.0, 1),
            retainedManagedMiB = Math.Round(retained / 1048576.0, 1),
            rssBeforeMiB = rssBefore / 1048576,
            peakRssMiB = self.PeakWorkingSet64 / 1048576,
            problems = problems.Take(5).ToArray(),
            problemCount = problems.Count,
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return problems.Count == 0 ? 0 : 1;
    }

    private static List<string> Check(CertificateSnapshot snapshot, IReadOnlyList<string> names)
    {
        var problems = new List<string>();
        if (snapshot.Sources.Count != names.Count)
        {
            problems.Add($"{snapshot.Sources.Count} sources in the snapshot, expected {names.Count}");
        }

        foreach (var state in snapshot.Sources)
        {
            var expected = ((InFlightCountingSource)state.Source).Inner.ServerName;
            if (!state.IsChecked || state.Errors.Count > 0 || state.Reports.Count != 1)
            {
                problems.Add($"{state.Source.Name}: checked {state.IsChecked}, {state.Reports.Count} reports, errors: {string.Join("; ", state.Errors)}");
            }
            else if (state.Reports[0].Facts.SubjectCommonName != expected || state.Status != CertificateStatus.Healthy)
            {
                var report = state.Reports[0];
                problems.Add($"{state.Source.Name}: subject {report.Facts.Subject}, status {state.Status}, findings {string.Join(", ", report.Findings.Select(f => f.Id))}");
            }
        }

        return problems;
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)], 1);

    private static async Task<SweepSetup> WaitForServerAsync(string directory)
    {
        var path = Path.Combine(directory, SweepSetup.FileName);
        for (var waited = 0; !File.Exists(path); waited++)
        {
            if (waited > 600)
            {
                throw new TimeoutException($"no {path} after 60 s: is sweep-server running?");
            }

            await Task.Delay(100);
        }

        return SweepSetup.Read(directory);
    }
}
