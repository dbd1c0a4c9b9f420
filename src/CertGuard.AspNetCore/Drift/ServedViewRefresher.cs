using CertGuard.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace CertGuard.AspNetCore.Drift;

/// <summary>
/// Refreshes the monitor when the served view may have changed: at once after the reloader read new files (so
/// <c>/health/details</c> shows the new certificate, or the refusal, without waiting for the interval), and when a
/// changed file's grace ends (so real drift is reported then). One pending refresh at a time, the earliest asked for.
/// </summary>
internal sealed class ServedViewRefresher : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private DateTimeOffset _due = DateTimeOffset.MaxValue;
    private bool _disposed;

    public ServedViewRefresher(IServiceProvider services, TimeProvider timeProvider)
    {
        _services = services;
        _timeProvider = timeProvider;
    }

    public void RefreshNow() => RefreshAfter(TimeSpan.Zero);

    public void RefreshAfter(TimeSpan delay)
    {
        var due = _timeProvider.GetUtcNow() + delay;
        lock (_gate)
        {
            if (_disposed || due >= _due)
            {
                return;
            }

            _due = due;
            _timer?.Dispose();
            _timer = _timeProvider.CreateTimer(_ => Fire(), null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            _due = DateTimeOffset.MaxValue;
            if (_disposed)
            {
                return;
            }
        }

        _ = RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        try
        {
            await _services.GetRequiredService<CertificateMonitor>().RefreshAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Shutting down, or a source failed: the monitor's own loop refreshes again on its interval.
            System.Diagnostics.Debug.WriteLine($"Refreshing the served view failed: {ex.GetType().Name}");
        }
    }
}
