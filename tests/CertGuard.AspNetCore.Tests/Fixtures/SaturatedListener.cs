using System.Net;
using System.Net.Sockets;

namespace CertGuard.AspNetCore.Tests.Fixtures;

/// <summary>
/// A loopback listener that never accepts and whose accept queue is full, so the operating system drops further
/// connection attempts (SYNs) and a TCP connect hangs: the test stand-in for a host that black-holes packets,
/// without leaving loopback.
/// </summary>
public sealed class SaturatedListener : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _queued = [];

    private SaturatedListener(Socket listener) => _listener = listener;

    /// <summary>The port whose connects hang.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Starts a listener on 127.0.0.1 and fills its accept queue.</summary>
    /// <returns>The saturated listener.</returns>
    /// <exception cref="InvalidOperationException">The platform accepted every connection (it does not drop SYNs on a full queue).</exception>
    public static async Task<SaturatedListener> StartAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var saturated = new SaturatedListener(listener);
        for (var attempt = 0; attempt < 32; attempt++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            saturated._queued.Add(client);
            using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, saturated.Port), patience.Token);
            }
            catch (OperationCanceledException)
            {
                // This connect hung: the queue is full.
                return saturated;
            }
        }

        saturated.Dispose();
        throw new InvalidOperationException("The accept queue never filled up: this platform does not drop connects to a full listener.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _queued)
        {
            client.Dispose();
        }

        _listener.Dispose();
    }
}
