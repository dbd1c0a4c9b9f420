using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.Benchmarks.Sweep;

/// <summary>
/// An endpoint source that counts how many loads are under way at once, across every source sharing the counter:
/// the client's own view of the monitor's concurrency bound (the server sees a connection a little longer, until it
/// notices the close).
/// </summary>
internal sealed class InFlightCountingSource(TlsEndpointCertificateSource inner, InFlightCounter counter) : CertificateSource(inner.Name)
{
    public TlsEndpointCertificateSource Inner => inner;

    public override string Kind => inner.Kind;

    public override string Location => inner.Location;

    public override bool IsRemote => inner.IsRemote;

    public override async ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        counter.Enter();
        try
        {
            return await inner.LoadAsync(cancellationToken);
        }
        finally
        {
            counter.Leave();
        }
    }
}

/// <summary>How many loads are under way, and the most at once.</summary>
internal sealed class InFlightCounter
{
    private int _current;
    private int _peak;

    public int Peak => Volatile.Read(ref _peak);

    public void Enter()
    {
        var current = Interlocked.Increment(ref _current);
        int peak;
        while (current > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, peak) != peak)
        {
        }
    }

    public void Leave() => Interlocked.Decrement(ref _current);
}
