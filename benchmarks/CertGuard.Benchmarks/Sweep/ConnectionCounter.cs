using Microsoft.AspNetCore.Connections;

namespace CertGuard.Benchmarks.Sweep;

/// <summary>
/// Counts the server's open TLS connections and the most open at once since the last reset: the server's view of
/// how many endpoints a client really checks in parallel.
/// </summary>
internal sealed class ConnectionCounter
{
    private int _open;
    private int _peak;
    private long _total;

    public int Peak => Volatile.Read(ref _peak);

    public long Total => Interlocked.Read(ref _total);

    public void Reset()
    {
        Volatile.Write(ref _peak, Volatile.Read(ref _open));
        Interlocked.Exchange(ref _total, 0);
    }

    public ConnectionDelegate Track(ConnectionDelegate next) => async connection =>
    {
        var open = Interlocked.Increment(ref _open);
        Interlocked.Increment(ref _total);
        int peak;
        while (open > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, open, peak) != peak)
        {
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };
}
