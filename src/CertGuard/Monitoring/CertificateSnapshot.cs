using System.Collections.Concurrent;
using CertGuard.Loading;
using CertGuard.Policy;

namespace CertGuard.Monitoring;

/// <summary>
/// An immutable picture of every watched source: its latest reports and load errors, when it was refreshed, and whether
/// it is stale. The monitor swaps in a new snapshot after each refresh; readers never see a half-made one.
/// </summary>
public sealed class CertificateSnapshot
{
    private readonly ConcurrentDictionary<(string Kind, string Key), object> _views = new();

    /// <summary>Creates a snapshot.</summary>
    /// <param name="version">Increases with every snapshot the monitor publishes.</param>
    /// <param name="sources">The state of every source.</param>
    /// <param name="isStarted">Whether the monitor has started, so <paramref name="sources"/> lists every watched source.</param>
    public CertificateSnapshot(long version, IReadOnlyList<SourceState> sources, bool isStarted)
    {
        ArgumentNullException.ThrowIfNull(sources);
        Version = version;
        Sources = sources;
        IsStarted = isStarted;
        Reports = sources.SelectMany(s => s.Reports).ToList();
        Errors = sources.SelectMany(s => s.Errors).ToList();
        IsStale = sources.Any(s => s.IsStale);
        Status = !isStarted
            ? CertificateStatus.Degraded
            : sources.Select(s => s.Status).DefaultIfEmpty(CertificateStatus.Healthy).Max();
    }

    /// <summary>The snapshot before the monitor has started: nothing checked yet.</summary>
    public static CertificateSnapshot Empty { get; } = new(0, [], isStarted: false);

    /// <summary>Increases with every snapshot the monitor publishes.</summary>
    public long Version { get; }

    /// <summary>Whether the monitor has started, so <see cref="Sources"/> lists every watched source.</summary>
    public bool IsStarted { get; }

    /// <summary>The state of every source, in registration order.</summary>
    public IReadOnlyList<SourceState> Sources { get; }

    /// <summary>Every report of every source.</summary>
    public IReadOnlyList<CertificateReport> Reports { get; }

    /// <summary>Every load error of every source.</summary>
    public IReadOnlyList<LoadError> Errors { get; }

    /// <summary>Whether any source is stale.</summary>
    public bool IsStale { get; }

    /// <summary>The worst status of any source; <see cref="CertificateStatus.Degraded"/> before the monitor has started.</summary>
    public CertificateStatus Status { get; }

    /// <summary>The sources reported by one health check.</summary>
    /// <param name="checkName">The health check's registration name.</param>
    /// <returns>The sources' states.</returns>
    public IReadOnlyList<SourceState> SourcesOf(string checkName) => GetView("sources", checkName, static (snapshot, name) =>
        (IReadOnlyList<SourceState>)snapshot.Sources.Where(s => string.Equals(s.CheckName, name, StringComparison.Ordinal)).ToList());

    /// <summary>
    /// A value computed from this snapshot once and then reused (a health check's result, metric tags), so readers on
    /// the hot path do not recompute it on every poll.
    /// </summary>
    internal T GetView<T>(string kind, string key, Func<CertificateSnapshot, string, T> create)
        where T : class =>
        (T)_views.GetOrAdd((kind, key), static (k, state) => state.create(state.snapshot, k.Key), (snapshot: this, create));
}
