using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CertGuard.AspNetCore.TlsErrors;

/// <summary>
/// Counts failed TLS handshakes on the endpoints served through
/// <c>UseHttps(reloader, configure, failures)</c>, by reason, as the <c>certguard_tls_handshake_failures</c> counter
/// (label <c>reason</c>: <c>no-certificate</c>, <c>client-certificate-rejected</c>, <c>protocol-mismatch</c>,
/// <c>other</c>) on the <c>CertGuard</c> meter, and logs them at Warning at most once per <see cref="LogInterval"/>
/// per reason, with the number since the last log; failures held back are logged, with their count, when the
/// interval ends, even if no further failure comes. Only connections that sent a TLS ClientHello are counted: port
/// probes and plain HTTP are not TLS handshakes.
/// </summary>
public sealed class TlsHandshakeFailureCounter : IDisposable
{
    private const string MeterName = "CertGuard";
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _failures;
    private readonly Lock _gate = new();
    private readonly Dictionary<TlsHandshakeFailureReason, (long Count, DateTimeOffset Since, DateTimeOffset LastLogged, string? ServerName)> _pending = [];
    private ITimer? _flushTimer;
    private bool _disposed;

    /// <summary>Creates a counter.</summary>
    /// <param name="timeProvider">The clock for rate-limiting the log; the system clock when null.</param>
    /// <param name="logger">Where bursts of failures are logged; nowhere when null.</param>
    /// <param name="meterFactory">Creates the <c>CertGuard</c> meter; a meter of its own when null.</param>
    public TlsHandshakeFailureCounter(TimeProvider? timeProvider = null, ILogger<TlsHandshakeFailureCounter>? logger = null, IMeterFactory? meterFactory = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _failures = _meter.CreateCounter<long>("certguard_tls_handshake_failures", unit: null,
            description: "Failed TLS handshakes on the app's HTTPS endpoints, by reason (no-certificate, client-certificate-rejected, protocol-mismatch, other).");
    }

    /// <summary>The shortest time between two warnings for the same reason; one minute by default.</summary>
    public TimeSpan LogInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The metric label of a reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>A kebab-case word.</returns>
    public static string Label(TlsHandshakeFailureReason reason) => reason switch
    {
        TlsHandshakeFailureReason.NoCertificate => "no-certificate",
        TlsHandshakeFailureReason.ClientCertificateRejected => "client-certificate-rejected",
        TlsHandshakeFailureReason.ProtocolMismatch => "protocol-mismatch",
        _ => "other",
    };

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _flushTimer?.Dispose();
        }

        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    internal void Record(TlsHandshakeFailureReason reason, string? serverName)
    {
        var label = Label(reason);
        _failures.Add(1, new KeyValuePair<string, object?>("reason", label));
        var now = _timeProvider.GetUtcNow();
        long count;
        DateTimeOffset since;
        lock (_gate)
        {
            var (pending, first, lastLogged, _) = _pending.TryGetValue(reason, out var entry) ? entry : (0, now, DateTimeOffset.MinValue, null);
            first = pending == 0 ? now : first;
            pending++;
            if (now - lastLogged < LogInterval)
            {
                // Held back: logged with its count when the interval ends, even if nothing else fails.
                _pending[reason] = (pending, first, lastLogged, serverName);
                ScheduleFlush(lastLogged + LogInterval - now);
                return;
            }

            _pending[reason] = (0, now, now, null);
            count = pending;
            since = first;
        }

        TlsHandshakeLog.Failures(_logger, count, label, since, serverName ?? string.Empty);
    }

    private void ScheduleFlush(TimeSpan delay)
    {
        if (_flushTimer is null && !_disposed)
        {
            _flushTimer = _timeProvider.CreateTimer(_ => Flush(), null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Flush()
    {
        var now = _timeProvider.GetUtcNow();
        var due = new List<(long Count, string Label, DateTimeOffset Since, string ServerName)>();
        lock (_gate)
        {
            _flushTimer?.Dispose();
            _flushTimer = null;
            if (_disposed)
            {
                return;
            }

            var next = TimeSpan.MaxValue;
            foreach (var (reason, (pending, since, lastLogged, serverName)) in _pending.ToList())
            {
                if (pending == 0)
                {
                    continue;
                }

                var wait = lastLogged + LogInterval - now;
                if (wait > TimeSpan.Zero)
                {
                    next = wait < next ? wait : next;
                    continue;
                }

                _pending[reason] = (0, now, now, null);
                due.Add((pending, Label(reason), since, serverName ?? string.Empty));
            }

            if (next != TimeSpan.MaxValue)
            {
                ScheduleFlush(next);
            }
        }

        foreach (var (count, label, since, serverName) in due)
        {
            TlsHandshakeLog.Failures(_logger, count, label, since, serverName);
        }
    }
}
