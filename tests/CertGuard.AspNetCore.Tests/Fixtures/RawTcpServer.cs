using System.Net;
using System.Net.Sockets;

namespace CertGuard.AspNetCore.Tests.Fixtures;

/// <summary>
/// A plain TCP server on a loopback address and a free port that treats every connection with a given behaviour:
/// the misbehaving peers a TLS client meets (silence, garbage, alerts, abrupt closes). Dispose to stop it.
/// </summary>
public sealed class RawTcpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _bytesSent;

    private RawTcpServer(Socket listener, Func<Socket, CancellationToken, Task> handle)
    {
        _listener = listener;
        _accepting = AcceptAsync(handle);
    }

    /// <summary>The port the operating system chose.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>How many bytes a trickling server has sent, over every connection.</summary>
    public int BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>The address listened on.</summary>
    public IPAddress Address => ((IPEndPoint)_listener.LocalEndPoint!).Address;

    /// <summary>Starts a server.</summary>
    /// <param name="handle">What to do with each accepted connection; the socket is disposed after it returns.</param>
    /// <param name="address">The loopback address to listen on; 127.0.0.1 when null.</param>
    /// <returns>The running server.</returns>
    public static RawTcpServer Start(Func<Socket, CancellationToken, Task> handle, IPAddress? address = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        address ??= IPAddress.Loopback;
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException("Test servers listen on loopback only.", nameof(address));
        }

        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen();
        return new RawTcpServer(listener, handle);
    }

    /// <summary>Accepts connections and never says a word: a hung service, or a TCP proxy whose backend is gone.</summary>
    /// <returns>The running server.</returns>
    public static RawTcpServer Silent() => Start(async (_, stopping) => await Task.Delay(System.Threading.Timeout.Infinite, stopping));

    /// <summary>Reads what the client sends, answers with <paramref name="reply"/>, and closes.</summary>
    /// <param name="reply">The bytes to send back.</param>
    /// <returns>The running server.</returns>
    public static RawTcpServer Replying(byte[] reply) => Start(async (socket, stopping) =>
    {
        await ReadSomeAsync(socket, stopping);
        await socket.SendAsync(reply, SocketFlags.None, stopping);
        socket.Shutdown(SocketShutdown.Send);
        await ReadSomeAsync(socket, stopping);
    });

    /// <summary>
    /// Reads what the client sends, then sends <paramref name="reply"/> one byte at a time with <paramref name="interval"/>
    /// between bytes (a slow-loris peer: every byte arrives well within any read timeout, the whole never does), and
    /// closes when done.
    /// </summary>
    /// <param name="reply">The bytes to trickle.</param>
    /// <param name="interval">The pause after each byte.</param>
    /// <returns>The running server.</returns>
    public static RawTcpServer Trickling(byte[] reply, TimeSpan interval)
    {
        RawTcpServer? server = null;
        server = Start(async (socket, stopping) =>
        {
            await ReadSomeAsync(socket, stopping);
            for (var i = 0; i < reply.Length; i++)
            {
                await socket.SendAsync(reply.AsMemory(i, 1), SocketFlags.None, stopping);
                Interlocked.Increment(ref server!._bytesSent);
                await Task.Delay(interval, stopping);
            }
        });
        return server;
    }

    /// <summary>
    /// Reads the client's first bytes and closes without a word: politely (FIN, the peer then reads end of stream)
    /// or by resetting the connection (RST).
    /// </summary>
    /// <param name="reset">Whether to reset rather than close.</param>
    /// <returns>The running server.</returns>
    public static RawTcpServer Closing(bool reset) => Start(async (socket, stopping) =>
    {
        // Reading first makes the close land in the handshake, and a close with unread data would be a reset.
        await ReadSomeAsync(socket, stopping);
        if (reset)
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
            return;
        }

        socket.Shutdown(SocketShutdown.Send);
        await ReadSomeAsync(socket, stopping);
    });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stopping.Dispose();
    }

    private static async Task ReadSomeAsync(Socket socket, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            await socket.ReceiveAsync(buffer, SocketFlags.None, stopping);
        }
        catch (SocketException)
        {
            // The client may already be gone; the behaviour under test is what happens before that.
        }
    }

    private async Task AcceptAsync(Func<Socket, CancellationToken, Task> handle)
    {
        var connections = new List<Task>();
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var socket = await _listener.AcceptAsync(_stopping.Token);
                connections.Add(HandleAsync(socket, handle));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        await Task.WhenAll(connections);
    }

    private async Task HandleAsync(Socket socket, Func<Socket, CancellationToken, Task> handle)
    {
        using (socket)
        {
            try
            {
                await handle(socket, _stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client left or the server is stopping.
            }
        }
    }
}
