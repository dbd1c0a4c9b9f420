using System.Collections.Concurrent;
using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard.Monitoring;

/// <summary>
/// An immutable picture of every watched source: its latest reports and load errors, when it was refreshed, and whether
/// it is stale. The monitor swaps in a new snapshot after each refresh; readers never see a half-made one.
/// </summary>
public sealed class CertificateSnapshot
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoProblems = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Kind, string Key), object> _views = new();
    private readonly Dictionary<CertificateSource, int>? _positions;

    /// <summary>Creates a snapshot.</summary>
    /// <param name="version">Increases with every snapshot the monitor publishes.</param>
    /// <param name="sources">The state of every source.</param>
    /// <param name="isStarted">Whether the monitor has started, so <paramref name="sources"/> lists every watched source.</param>
    public CertificateSnapshot(long version, IReadOnlyList<SourceState> sources, bool isStarted)
        : this(version, sources, isStarted, NoProblems, positions: null)
    {
    }

    internal CertificateSnapshot(long version, IReadOnlyList<SourceState> sources, bool isStarted, IReadOnlyDictionary<string, IReadOnlyList<string>> configurationProblems, Dictionary<CertificateSource, int>? positions)
    {
        ArgumentNullException.ThrowIfNull(sources);
        Version = version;
        Sources = sources;
        IsStarted = isStarted;
        ConfigurationProblems = configurationProblems;
        _positions = positions;
        Reports = sources.SelectMany(s => s.Reports).ToList();
        Errors = sources.SelectMany(s => s.Errors).ToList();
        IsStale = sources.Any(s => s.IsStale);
        Status = !isStarted
            ? CertificateStatus.Degraded
            : sources.Select(s => s.Status).Append(configurationProblems.Count > 0 ? CertificateStatus.Degraded : CertificateStatus.Healthy).Max();
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

    /// <summary>
    /// The problems of a configuration change that was rejected, by health check name; the last valid configuration
    /// stays in force and the check reports at least <see cref="CertificateStatus.Degraded"/> until a valid one arrives.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ConfigurationProblems { get; }

    /// <summary>The sources reported by one health check.</summary>
    /// <param name="checkName">The health check's registration name.</param>
    /// <returns>The sources' states.</returns>
    public IReadOnlyList<SourceState> SourcesOf(string checkName) => GetView("sources", checkName, static (snapshot, name) =>
        (IReadOnlyList<SourceState>)snapshot.Sources.Where(s => string.Equals(s.CheckName, name, StringComparison.Ordinal)).ToList());

    /// <summary>This snapshot with other source states (same members, same order) and a new version.</summary>
    internal CertificateSnapshot With(long version, IReadOnlyList<SourceState> sources) =>
        new(version, sources, IsStarted, ConfigurationProblems, _positions);

    /// <summary>This snapshot with a check's configuration problems set (or cleared when empty).</summary>
    internal CertificateSnapshot WithProblems(long version, string checkName, IReadOnlyList<string> problems)
    {
        var all = ConfigurationProblems.Where(p => !string.Equals(p.Key, checkName, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        if (problems.Count > 0)
        {
            all[checkName] = problems;
        }

        return new(version, Sources, IsStarted, all, _positions);
    }

    /// <summary>Where <paramref name="source"/> (by reference) is in <see cref="Sources"/>, or -1 when it is not watched.</summary>
    internal int PositionOf(CertificateSource source)
    {
        if (_positions is not null && _positions.TryGetValue(source, out var position) && position < Sources.Count && ReferenceEquals(Sources[position].Source, source))
        {
            return position;
        }

        for (var i = 0; i < Sources.Count; i++)
        {
            if (ReferenceEquals(Sources[i].Source, source))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// A value computed from this snapshot once and then reused (a health check's result, metric tags), so readers on
    /// the hot path do not recompute it on every poll.
    /// </summary>
    internal T GetView<T>(string kind, string key, Func<CertificateSnapshot, string, T> create)
        where T : class =>
        (T)_views.GetOrAdd((kind, key), static (k, state) => state.create(state.snapshot, k.Key), (snapshot: this, create));
}
