using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CertGuard.DependencyInjection;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Metrics;
using CertGuard.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CertGuard.Monitoring;

/// <summary>
/// Refreshes every watched source in the background (on an interval with jitter, and at once when a watched file
/// changes) and publishes the results as an immutable <see cref="CertificateSnapshot"/>. Health checks and metrics
/// read the snapshot; they never do I/O. A failing source keeps its last good result, marked stale, and never
/// throws into the host.
/// </summary>
public sealed class CertificateMonitor : BackgroundService
{
    /// <summary>The name of the meter the monitor publishes its metrics on (<c>x509_cert_not_after</c>, ...).</summary>
    public const string MeterName = "CertGuard";

    // Task.Delay cannot wait longer than this (uint.MaxValue - 1 ms, about 49.7 days).
    private static readonly TimeSpan LongestTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(5);

    private readonly CertificateMonitorOptions _options;
    private readonly IOptions<CertificatePolicyOptions> _policyOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IRevocationChecker? _revocationChecker;
    private readonly SemaphoreSlim _remoteGate;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly TaskCompletionSource _firstRefresh = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CertificateSnapshot _snapshot = CertificateSnapshot.Empty;
    private readonly Lock _startLock = new();
    private readonly Lock _membershipLock = new();
    private readonly List<ScheduledSource> _scheduled = [];
    private readonly List<ScheduledSource> _removed = [];
    private readonly List<(CertGuardRegistration Registration, IOptionsMonitor<CertGuardOptions> Options)> _registrations = [];
    private readonly CertificateMetrics _metrics;
    private CertificateScanner? _scanner;
    private FileChangeWatcher? _watcher;
    private CancellationToken _stopping;

    /// <summary>Creates a monitor.</summary>
    /// <param name="options">The sources and refresh settings.</param>
    /// <param name="policyOptions">The thresholds certificates are judged by.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <param name="revocationChecker">Checks revocation for sources that ask for it; none when null.</param>
    /// <param name="meterFactory">Creates the <c>CertGuard</c> meter; a meter of the monitor's own when null.</param>
    public CertificateMonitor(
        IOptions<CertificateMonitorOptions> options,
        IOptions<CertificatePolicyOptions> policyOptions,
        TimeProvider? timeProvider = null,
        ILogger<CertificateMonitor>? logger = null,
        IRevocationChecker? revocationChecker = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policyOptions);
        _options = options.Value;
        _policyOptions = policyOptions;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _revocationChecker = revocationChecker;
        _remoteGate = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentRemoteRefreshes));
        _metrics = new CertificateMetrics(meterFactory, () => Snapshot, _timeProvider);
    }

    /// <summary>The latest snapshot. Reading it is a single volatile read: no I/O, no lock.</summary>
    public CertificateSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Completes when every source has been refreshed once.</summary>
    public Task FirstRefresh => _firstRefresh.Task;

    /// <summary>Refreshes every source now, regardless of the interval, and returns the resulting snapshot.</summary>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    /// <returns>The snapshot after the refresh.</returns>
    public async Task<CertificateSnapshot> RefreshAsync(CancellationToken cancellationToken = default)
    {
        EnsureSources();
        List<ScheduledSource> current;
        lock (_membershipLock)
        {
            current = [.. _scheduled];
        }

        await Task.WhenAll(current.Select(s => RefreshSourceAsync(s, cancellationToken))).ConfigureAwait(false);
        return Snapshot;
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // List every source in the snapshot before the host finishes starting (ExecuteAsync runs in the background),
        // so a poll right after start reports each one as not yet checked.
        EnsureSources();
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Adds the sources of <c>AddCertGuard</c> registrations, each with its own policy, interval and reloads.</summary>
    internal void UseRegistrations(IEnumerable<CertGuardRegistration> registrations, IOptionsMonitor<CertGuardOptions> options)
    {
        foreach (var registration in registrations)
        {
            _registrations.Add((registration, options));
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        EnsureSources();
        List<ScheduledSource> initial;
        lock (_membershipLock)
        {
            _stopping = stoppingToken;
            _watcher = new FileChangeWatcher(_timeProvider, _options.WatchPollInterval, _options.UseFileSystemNotifications, _logger);
            initial = [.. _scheduled];
        }

        MonitorLog.Started(_logger, initial.Count, _options.RefreshInterval);
        var remaining = initial.Count;
        if (remaining == 0)
        {
            _firstRefresh.TrySetResult();
        }

        lock (_membershipLock)
        {
            foreach (var source in initial)
            {
                StartLoop(source, refreshFirst: true, () =>
                {
                    if (Interlocked.Decrement(ref remaining) == 0)
                    {
                        _firstRefresh.TrySetResult();
                    }
                });
            }
        }

        var reloads = _registrations.Where(r => r.Registration.Section is not null)
            .Select(r => ChangeToken.OnChange(r.Registration.ChangeToken, () => _ = ReloadAsync(r.Registration, stoppingToken)))
            .ToList();
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        reloads.ForEach(r => r.Dispose());
        Task[] loops;
        lock (_membershipLock)
        {
            loops = [.. _scheduled.Concat(_removed).Select(s => s.Loop)];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        _watcher.Dispose();
    }

    /// <summary>Starts a source's own loop, so that a slow one delays nothing else. Called under the membership lock.</summary>
    private void StartLoop(ScheduledSource source, bool refreshFirst, Action? refreshedOnce)
    {
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var (paths, recursive) = WatchedPathsOf(source.Monitored);

        // A removed source's subscription stays with the watcher; it only fills a channel nobody reads any more.
        try
        {
            _watcher!.Watch(paths, recursive, () => changes.Writer.TryWrite(true));
        }
        catch (Exception ex)
        {
            // Without the watch the source is still refreshed on its interval; say so loudly rather than fail the host.
            MonitorLog.WatchUnavailable(_logger, ex, source.Source.Name, source.RefreshInterval);
        }

        var token = source.Start(_stopping);
        source.Loop = Task.Run(() => RunSourceAsync(source, changes.Reader, refreshFirst, refreshedOnce, token), CancellationToken.None);
    }

    private static (IReadOnlyList<string> Paths, bool Recursive) WatchedPathsOf(MonitoredSource monitored) => monitored.Source switch
    {
        Sources.DirectoryCertificateSource directory => ([directory.Directory], true),
        var source => (source.WatchedPaths, false),
    };

    /// <summary>
    /// Refreshes one source until the host stops or the source is removed. Nothing thrown in here ends the loop, let
    /// alone the host: the source keeps its last result, marked stale, a Critical line is logged, and the loop retries
    /// with a growing pause.
    /// </summary>
    private async Task RunSourceAsync(ScheduledSource source, ChannelReader<bool> changes, bool refreshFirst, Action? refreshedOnce, CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (refreshFirst)
                {
                    refreshFirst = false;
                }
                else if (await WaitForNextRefreshAsync(source, changes, stopping).ConfigureAwait(false))
                {
                    MonitorLog.FileChanged(_logger, source.Source.Name);
                }

                await RefreshSourceAsync(source, stopping).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var backoff = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures - 1, 20)));
                backoff = backoff < LongestBackoff ? backoff : LongestBackoff;
                MonitorLog.LoopFailed(_logger, ex, source.Source.Name, backoff);
                Publish(source, scan: null, [new LoadError(source.Source.Location, LoadErrorReason.ReadFailed, $"the monitor's refresh loop failed ({ex.GetType().Name}); retrying in {backoff.TotalSeconds:0} s")]);
                await PauseAsync(backoff, stopping).ConfigureAwait(false);

                // Refresh at once after the pause, so a passing failure clears the stale mark without waiting an interval.
                refreshFirst = true;
            }
            finally
            {
                refreshedOnce?.Invoke();
                refreshedOnce = null;
            }
        }
    }

    private async Task PauseAsync(TimeSpan backoff, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(backoff, _timeProvider, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            // The clock itself failed; fall back to the system's timer rather than spin.
            await Task.Delay(backoff, stopping).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the interval (with jitter), the moment a certificate of the source crosses a threshold, or a file
    /// change; returns true for a change.
    /// </summary>
    private async Task<bool> WaitForNextRefreshAsync(ScheduledSource source, ChannelReader<bool> changes, CancellationToken stopping)
    {
        var jitter = _options.RefreshJitter * Random.Shared.NextDouble();
        var delay = source.RefreshInterval + (source.RefreshInterval * jitter);
        if (NextTransition(source) is { } transition && transition < delay)
        {
            delay = transition;
        }

        delay = delay < LongestTimerDelay ? delay : LongestTimerDelay;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var interval = Task.Delay(delay, _timeProvider, waiting.Token);
        var changed = changes.WaitToReadAsync(waiting.Token).AsTask();
        var first = await Task.WhenAny(interval, changed).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);
        stopping.ThrowIfCancellationRequested();
        if (first != changed)
        {
            return false;
        }

        // Debounce: a rotation writes several files (certificate, key, chain); refresh once after they settle.
        changes.TryRead(out _);
        if (_options.WatchDebounce > TimeSpan.Zero)
        {
            do
            {
                await Task.Delay(_options.WatchDebounce, _timeProvider, stopping).ConfigureAwait(false);
            }
            while (changes.TryRead(out _));
        }

        return true;
    }

    /// <summary>
    /// How long until one of the source's certificates enters its warning window, its unhealthy window, its validity or
    /// its expiry, so the status changes on time rather than up to an interval late. Null when nothing is ahead.
    /// </summary>
    private TimeSpan? NextTransition(ScheduledSource source)
    {
        var now = _timeProvider.GetUtcNow();
        var policy = source.Scanner.Policy;
        var snapshot = Snapshot;
        var position = snapshot.PositionOf(source.Source);
        DateTimeOffset? next = null;
        foreach (var report in position < 0 ? [] : snapshot.Sources[position].Reports)
        {
            var facts = report.Facts;
            foreach (var moment in (ReadOnlySpan<DateTimeOffset>)[facts.NotBefore, facts.NotAfter - policy.DegradedWindow(facts.Lifetime), facts.NotAfter - policy.UnhealthyWindow(facts.Lifetime), facts.NotAfter])
            {
                if (moment > now && (next is null || moment < next))
                {
                    next = moment;
                }
            }
        }

        // A moment past the threshold, so the refresh judges the certificate on the far side of it.
        return next is { } at ? at - now + TimeSpan.FromSeconds(1) : null;
    }

    private async Task RefreshSourceAsync(ScheduledSource source, CancellationToken cancellationToken)
    {
        var (scan, errors) = await ScanAsync(source, cancellationToken).ConfigureAwait(false);
        Publish(source, scan, errors);
    }

    private async Task<(SourceScan? Scan, IReadOnlyList<LoadError> Errors)> ScanAsync(ScheduledSource scheduled, CancellationToken cancellationToken)
    {
        var source = scheduled.Source;
        var gate = source.IsRemote ? _remoteGate : null;
        SourceScan? scan = null;
        string? failure = null;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // A hang guard on top of the scanner's own timeout, for a source that ignores cancellation.
            var guard = source.Timeout + TimeSpan.FromSeconds(5);
            scan = await scheduled.Scanner.ScanAsync(source, cancellationToken).WaitAsync(guard, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            failure = $"did not answer within {source.Timeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = $"the refresh failed ({ex.GetType().Name})";
        }
        finally
        {
            gate?.Release();
        }

        var errors = scan?.Errors ?? [new LoadError(source.Location, LoadErrorReason.ReadFailed, failure ?? "the refresh failed")];
        if (scan is not null)
        {
            MonitorLog.Refreshed(_logger, source.Name, scan.Duration.TotalMilliseconds, scan.Reports.Count, scan.Errors.Count, scan.Status.ToString());
        }

        _metrics.RecordErrors(source, errors);
        return (scan, errors);
    }

    private void Publish(ScheduledSource source, SourceScan? scan, IReadOnlyList<LoadError> errors)
    {
        var now = _timeProvider.GetUtcNow();
        while (true)
        {
            var current = Snapshot;
            var position = current.PositionOf(source.Source);
            if (position < 0)
            {
                // Removed by a configuration reload while it was refreshing.
                return;
            }

            var previous = current.Sources[position];
            var next = NextState(source, previous, scan, errors, now);
            var states = current.Sources.ToArray();
            states[position] = next;
            if (Interlocked.CompareExchange(ref _snapshot, current.With(current.Version + 1, states), current) == current)
            {
                LogTransition(previous, next);
                return;
            }
        }
    }

    private static SourceState NextState(ScheduledSource source, SourceState previous, SourceScan? scan, IReadOnlyList<LoadError> errors, DateTimeOffset now)
    {
        // Only a critical error fails the source: a folder's bad file (a warning) leaves the rest of it judged normally.
        var failed = scan is null || (scan.Reports.Count == 0 && scan.Errors.Any(e => e.Severity == FindingSeverity.Critical));
        if (!failed)
        {
            return previous with
            {
                Reports = scan!.Reports,
                Errors = scan.Errors,
                IsChecked = true,
                RefreshedAt = scan.ScannedAt,
                AttemptedAt = now,
                JudgedAt = scan.ScannedAt,
                IsStale = false,
                StaleSince = null,
                StaleReason = null,
            };
        }

        var reason = string.Join("; ", errors.Select(e => e.ToString()));
        if (previous.RefreshedAt is null || previous.Reports.Count == 0)
        {
            // Never loaded: nothing to fall back on, the certificate cannot serve.
            return previous with { Reports = [], Errors = errors, IsChecked = true, AttemptedAt = now, JudgedAt = now, IsStale = false, StaleReason = null, StaleSince = null };
        }

        // Keep the last good reports, judged again now so a kept certificate still expires on time.
        var policy = source.Scanner.Policy;
        var rejudged = previous.Reports.Select(r => r with { Findings = policy.Evaluate(r.Facts, now), EvaluatedAt = now }).ToList();
        return previous with
        {
            Reports = rejudged,
            Errors = errors,
            AttemptedAt = now,
            JudgedAt = now,
            IsStale = true,
            StaleSince = previous.StaleSince ?? now,
            StaleReason = reason,
        };
    }

    /// <summary>
    /// Applies an edited configuration section: a valid one replaces the registration's sources (new and changed ones
    /// are judged before they appear, so a valid edit never reads "not yet checked"); an invalid one is refused, logged
    /// and reported by the health check, and the last valid sources stay in force.
    /// </summary>
    private async Task ReloadAsync(CertGuardRegistration registration, CancellationToken stopping)
    {
        try
        {
            await _reloadGate.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var (options, problems) = registration.Read();
            if (registration.Section is IConfigurationSection { Value: null } section && !section.GetChildren().Any())
            {
                // A settings file that fails to parse on reload reads as empty: never take that as "watch nothing".
                problems = [$"{registration.SettingsPath} is missing or empty (a settings file that failed to parse reads as empty); to watch nothing, keep the section and leave Certificates empty."];
            }

            if (problems.Count > 0)
            {
                MonitorLog.ConfigurationRejected(_logger, registration.Name, string.Join(" ", problems));
                SetProblems(registration.Name, problems);
                return;
            }

            List<ScheduledSource> current;
            lock (_membershipLock)
            {
                current = _scheduled.Where(s => string.Equals(s.Monitored.CheckName, registration.Name, StringComparison.Ordinal)).ToList();
            }

            var wanted = Schedule(registration, options)
                .Select(w => current.FirstOrDefault(c => string.Equals(c.Signature, w.Signature, StringComparison.Ordinal)) ?? w)
                .ToList();
            var added = wanted.Where(w => !current.Contains(w)).ToList();
            var removed = current.Where(c => !wanted.Contains(c)).ToList();
            var now = _timeProvider.GetUtcNow();
            var judged = new Dictionary<ScheduledSource, SourceState>();
            foreach (var source in added)
            {
                var (scan, errors) = await ScanAsync(source, stopping).ConfigureAwait(false);
                judged[source] = NextState(source, new SourceState { Source = source.Source, CheckName = registration.Name }, scan, errors, now);
            }

            lock (_membershipLock)
            {
                var first = _scheduled.FindIndex(s => string.Equals(s.Monitored.CheckName, registration.Name, StringComparison.Ordinal));
                _scheduled.RemoveAll(s => string.Equals(s.Monitored.CheckName, registration.Name, StringComparison.Ordinal));
                _scheduled.InsertRange(first < 0 ? _scheduled.Count : first, wanted);
                PublishMembership(judged, registration.Name, []);
                // Loops of sources removed by earlier reloads have ended by now: let them go, so reloads do not accumulate.
                foreach (var ended in _removed.Where(s => s.Loop.IsCompleted).ToList())
                {
                    ended.Dispose();
                    _removed.Remove(ended);
                }

                foreach (var source in removed)
                {
                    source.Remove();
                    _removed.Add(source);
                }

                foreach (var source in added)
                {
                    StartLoop(source, refreshFirst: false, refreshedOnce: null);
                }
            }

            if (added.Count > 0 || removed.Count > 0)
            {
                MonitorLog.ConfigurationApplied(_logger, registration.Name, added.Count, removed.Count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Never let a reload take the host down: keep what runs, and say why the edit was not applied.
            MonitorLog.ConfigurationRejected(_logger, registration.Name, $"the reload failed ({ex.GetType().Name})");
            SetProblems(registration.Name, [$"{registration.SettingsPath} could not be reloaded ({ex.GetType().Name})."]);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>The sources a registration's options describe, judged by the registration's own policy.</summary>
    private List<ScheduledSource> Schedule(CertGuardRegistration registration, CertGuardOptions options)
    {
        var scanner = new CertificateScanner(new CertificatePolicy(options.Policy), _timeProvider, _revocationChecker);
        var interval = options.RefreshInterval ?? _options.RefreshInterval;
        var shared = $"{interval}|{ConfiguredSources.Signature(options.Policy)}";
        return options.Certificates
            .Select(item => new ScheduledSource(new MonitoredSource(ConfiguredSources.Create(item), registration.Name), scanner, interval, $"{shared}|{ConfiguredSources.Signature(item)}"))
            .ToList();
    }

    /// <summary>Publishes the current members (<see cref="_scheduled"/>), keeping the state of those already known. Under the membership lock.</summary>
    private void PublishMembership(Dictionary<ScheduledSource, SourceState> fresh, string? checkName, IReadOnlyList<string> problems)
    {
        var positions = new Dictionary<Sources.CertificateSource, int>(ReferenceEqualityComparer.Instance);
        while (true)
        {
            var current = Snapshot;
            var states = new List<SourceState>(_scheduled.Count);
            positions.Clear();
            foreach (var source in _scheduled)
            {
                var position = current.PositionOf(source.Source);
                positions[source.Source] = states.Count;
                states.Add(fresh.TryGetValue(source, out var state) ? state
                    : position >= 0 ? current.Sources[position]
                    : new SourceState { Source = source.Source, CheckName = source.Monitored.CheckName });
            }

            var problemsByCheck = current.ConfigurationProblems.Where(p => !string.Equals(p.Key, checkName, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
            if (checkName is not null && problems.Count > 0)
            {
                problemsByCheck[checkName] = problems;
            }

            var next = new CertificateSnapshot(current.Version + 1, states, isStarted: true, problemsByCheck, new Dictionary<Sources.CertificateSource, int>(positions, ReferenceEqualityComparer.Instance));
            if (Interlocked.CompareExchange(ref _snapshot, next, current) == current)
            {
                return;
            }
        }
    }

    private void SetProblems(string checkName, IReadOnlyList<string> problems)
    {
        while (true)
        {
            var current = Snapshot;
            if (Interlocked.CompareExchange(ref _snapshot, current.WithProblems(current.Version + 1, checkName, problems), current) == current)
            {
                return;
            }
        }
    }

    private void LogTransition(SourceState previous, SourceState next)
    {
        var source = next.Source;
        if (next.IsStale && !previous.IsStale)
        {
            MonitorLog.RefreshFailed(_logger, source.Name, source.Location, next.RefreshedAt ?? default, next.StaleReason ?? "unknown");
        }

        var before = previous.IsChecked ? previous.Status : CertificateStatus.Healthy;
        if (next.Status == before)
        {
            return;
        }

        switch (next.Status)
        {
            case CertificateStatus.Unhealthy:
                MonitorLog.Unhealthy(_logger, source.Name, source.Location, Describe(next));
                break;
            case CertificateStatus.Degraded:
                MonitorLog.Degraded(_logger, source.Name, source.Location, Describe(next));
                break;
            default:
                MonitorLog.Recovered(_logger, source.Name, source.Location);
                break;
        }
    }

    private static string Describe(SourceState state)
    {
        var worst = state.Reports.SelectMany(r => r.Findings.Select(f => (Report: r, Finding: f)))
            .Where(x => x.Finding.Severity > FindingSeverity.Info)
            .OrderByDescending(x => x.Finding.Severity)
            .Select(x => $"{x.Report.Facts.Subject}: {x.Finding.Id}: {x.Finding.Message}")
            .FirstOrDefault();
        if (state.Errors.Count > 0 && (worst is null || !state.IsStale))
        {
            return state.Errors[0].ToString();
        }

        return state.IsStale ? $"stale ({state.StaleReason})" : worst ?? state.Status.ToString();
    }

    private void EnsureSources()
    {
        if (_scanner is not null)
        {
            return;
        }

        lock (_startLock)
        {
            if (_scanner is not null)
            {
                return;
            }

            var scanner = new CertificateScanner(new CertificatePolicy(_policyOptions.Value), _timeProvider, _revocationChecker);
            lock (_membershipLock)
            {
                _scheduled.AddRange(_options.Sources.Select(s => new ScheduledSource(s, scanner, _options.RefreshInterval, signature: string.Empty)));
                foreach (var (registration, options) in _registrations)
                {
                    // Validated at start (ValidateOnStart); an invalid section throws here, naming its settings.
                    _scheduled.AddRange(Schedule(registration, options.Get(registration.Name)));
                }

                PublishMembership([], checkName: null, []);
            }

            _scanner = scanner;
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _remoteGate.Dispose();
        _reloadGate.Dispose();
        _metrics.Dispose();
        lock (_membershipLock)
        {
            foreach (var source in _scheduled.Concat(_removed))
            {
                source.Dispose();
            }
        }
    }
}
