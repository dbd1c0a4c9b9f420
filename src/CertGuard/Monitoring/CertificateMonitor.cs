using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Metrics;
using CertGuard.Policy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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

    private readonly CertificateMonitorOptions _options;
    private readonly IOptions<CertificatePolicyOptions> _policyOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IRevocationChecker? _revocationChecker;
    private readonly SemaphoreSlim _remoteGate;
    private readonly TaskCompletionSource _firstRefresh = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CertificateSnapshot _snapshot = CertificateSnapshot.Empty;
    private Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Lock _startLock = new();
    private readonly CertificateMetrics _metrics;
    private CertificateScanner? _scanner;

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
        await Task.WhenAll(_options.Sources.Select(s => RefreshSourceAsync(s, cancellationToken))).ConfigureAwait(false);
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

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        EnsureSources();
        MonitorLog.Started(_logger, _options.Sources.Count, _options.RefreshInterval);
        if (_options.Sources.Count == 0)
        {
            _firstRefresh.TrySetResult();
            return;
        }

        using var watcher = new FileChangeWatcher(_timeProvider, _options.WatchPollInterval, _options.UseFileSystemNotifications, _logger);
        var remaining = _options.Sources.Count;
        var loops = _options.Sources.Select(source =>
        {
            var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
            var (paths, recursive) = WatchedPathsOf(source);
            watcher.Watch(paths, recursive, () => changes.Writer.TryWrite(true));

            // Each source runs on its own loop so that a slow one delays nothing else.
            return Task.Run(() => RunSourceAsync(source, changes.Reader, () =>
            {
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    _firstRefresh.TrySetResult();
                }
            }, stoppingToken), CancellationToken.None);
        }).ToList();

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private static (IReadOnlyList<string> Paths, bool Recursive) WatchedPathsOf(MonitoredSource monitored) => monitored.Source switch
    {
        Sources.DirectoryCertificateSource directory => ([directory.Directory], true),
        var source => (source.WatchedPaths, false),
    };

    private async Task RunSourceAsync(MonitoredSource source, ChannelReader<bool> changes, Action refreshedOnce, CancellationToken stopping)
    {
        try
        {
            await RefreshSourceAsync(source, stopping).ConfigureAwait(false);
            refreshedOnce();
            while (!stopping.IsCancellationRequested)
            {
                if (await WaitForNextRefreshAsync(source, changes, stopping).ConfigureAwait(false))
                {
                    MonitorLog.FileChanged(_logger, source.Source.Name);
                }

                await RefreshSourceAsync(source, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Waits for the interval (with jitter), the moment a certificate of the source crosses a threshold, or a file
    /// change; returns true for a change.
    /// </summary>
    private async Task<bool> WaitForNextRefreshAsync(MonitoredSource source, ChannelReader<bool> changes, CancellationToken stopping)
    {
        var jitter = _options.RefreshJitter * Random.Shared.NextDouble();
        var delay = _options.RefreshInterval + (_options.RefreshInterval * jitter);
        if (NextTransition(source) is { } transition && transition < delay)
        {
            delay = transition;
        }

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
    private TimeSpan? NextTransition(MonitoredSource source)
    {
        var now = _timeProvider.GetUtcNow();
        var policy = Scanner.Policy;
        var state = Snapshot.Sources.FirstOrDefault(s => ReferenceEquals(s.Source, source.Source));
        DateTimeOffset? next = null;
        foreach (var report in state?.Reports ?? [])
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

    private async Task RefreshSourceAsync(MonitoredSource monitored, CancellationToken cancellationToken)
    {
        var source = monitored.Source;
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
            scan = await Scanner.ScanAsync(source, cancellationToken).WaitAsync(guard, _timeProvider, cancellationToken).ConfigureAwait(false);
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
        Publish(monitored, scan, errors);
    }

    private void Publish(MonitoredSource monitored, SourceScan? scan, IReadOnlyList<LoadError> errors)
    {
        var now = _timeProvider.GetUtcNow();
        while (true)
        {
            var current = Snapshot;
            if (!_index.TryGetValue(monitored.Source.Name, out var position) || position >= current.Sources.Count)
            {
                return;
            }

            var previous = current.Sources[position];
            var next = NextState(previous, scan, errors, now);
            var states = current.Sources.ToArray();
            states[position] = next;
            var snapshot = new CertificateSnapshot(current.Version + 1, states, isStarted: true);
            if (Interlocked.CompareExchange(ref _snapshot, snapshot, current) == current)
            {
                LogTransition(previous, next);
                return;
            }
        }
    }

    private SourceState NextState(SourceState previous, SourceScan? scan, IReadOnlyList<LoadError> errors, DateTimeOffset now)
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
        var policy = Scanner.Policy;
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

    private CertificateScanner Scanner => _scanner ?? throw new InvalidOperationException("The monitor has not started.");

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

            var states = _options.Sources.Select(s => new SourceState { Source = s.Source, CheckName = s.CheckName }).ToList();
            _index = _options.Sources.Select((s, i) => (s.Source.Name, i)).DistinctBy(x => x.Name).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
            Volatile.Write(ref _snapshot, new CertificateSnapshot(1, states, isStarted: true));
            _scanner = new CertificateScanner(new CertificatePolicy(_policyOptions.Value), _timeProvider, _revocationChecker);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _remoteGate.Dispose();
        _metrics.Dispose();
    }
}
