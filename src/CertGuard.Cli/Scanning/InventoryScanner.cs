using CertGuard.Inspection;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard.Cli.Scanning;

/// <summary>
/// Scans every source the targets name through the library's <see cref="CertificateScanner"/>, a bounded number at a
/// time, and gathers the results in target order. Load errors are collected, never fatal.
/// </summary>
internal sealed class InventoryScanner(IRevocationChecker? revocationChecker, TimeProvider timeProvider)
{
    public async Task<Inventory> ScanAsync(ScanSettings settings, CliConsole console, CancellationToken cancellationToken)
    {
        var resolved = new TargetResolver(settings).Resolve();
        await WarnAboutRevocationAsync(settings, resolved.Sources, console).ConfigureAwait(false);

        var scanner = new CertificateScanner(new CertificatePolicy(settings.Policy), timeProvider, revocationChecker);
        var scans = new SourceScan[resolved.Sources.Count];
        using (var progress = ScanProgress.Start(console, settings.Quiet, resolved.Sources.Count))
        {
            var indexed = resolved.Sources.Select((source, index) => (source, index));
            var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(indexed, options, async (item, token) =>
            {
                var scan = await scanner.ScanAsync(item.source, token).ConfigureAwait(false);
                scans[item.index] = scan;
                progress.Completed(scan.Reports.Count, scan.Errors.Count);
            }).ConfigureAwait(false);
        }

        var certificates = new List<InventoryEntry>();
        var errors = new List<InventoryError>(resolved.Errors);
        foreach (var scan in scans)
        {
            certificates.AddRange(scan.Reports.Select(r => new InventoryEntry(r.Facts.DisplayLocation, r)));
            errors.AddRange(scan.Errors.Select(e => new InventoryError(e.Location, e.Reason, e.Message, scan.Source.Owner, scan.Source.Kind is "file" or "directory")));
        }

        return new Inventory { Certificates = certificates, Errors = errors, ScannedAt = timeProvider.GetUtcNow() };
    }

    private async Task WarnAboutRevocationAsync(ScanSettings settings, IReadOnlyList<CertificateSource> sources, CliConsole console)
    {
        // Say so rather than let a revocation check that never ran look like a clean one.
        if (revocationChecker is null && settings.Revocation is RevocationCheckMode.Online or RevocationCheckMode.Offline && sources.Count > 0)
        {
            await console.WriteErrorLineAsync("certguard: warning: revocation checking is not available in this build; --revocation is ignored.").ConfigureAwait(false);
        }
    }
}
