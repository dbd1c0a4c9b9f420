namespace CertGuard.Monitoring;

/// <summary>
/// A source as the monitor runs it: the registration it belongs to, the scanner (and so the policy) that judges it, its
/// refresh interval, and its own loop, which a configuration reload can stop without touching the others.
/// </summary>
internal sealed class ScheduledSource(MonitoredSource monitored, CertificateScanner scanner, TimeSpan refreshInterval, string signature) : IDisposable
{
    private readonly CancellationTokenSource _removed = new();
    private CancellationTokenSource? _running;

    public MonitoredSource Monitored { get; } = monitored;

    public Sources.CertificateSource Source => Monitored.Source;

    public CertificateScanner Scanner { get; } = scanner;

    public TimeSpan RefreshInterval { get; } = refreshInterval;

    /// <summary>Everything that configured this source (passwords included, never shown): equal signatures mean nothing changed.</summary>
    public string Signature { get; } = signature;

    /// <summary>The source's refresh loop, once started.</summary>
    public Task Loop { get; set; } = Task.CompletedTask;

    /// <summary>A token that stops the loop when the host stops or the source is removed.</summary>
    public CancellationToken Start(CancellationToken stopping)
    {
        _running = CancellationTokenSource.CreateLinkedTokenSource(stopping, _removed.Token);
        return _running.Token;
    }

    /// <summary>Stops the loop because the source left the configuration.</summary>
    public void Remove() => _removed.Cancel();

    public void Dispose()
    {
        _running?.Dispose();
        _removed.Dispose();
    }
}
