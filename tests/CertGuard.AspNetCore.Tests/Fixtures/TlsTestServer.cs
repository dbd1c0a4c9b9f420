using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.Tests.Fixtures;

/// <summary>
/// A real Kestrel HTTPS server on a loopback address and a free port, serving a given certificate and chain (or one
/// chosen per SNI name) with real TLS. Answers <c>ok</c> to every request. Dispose to stop it.
/// </summary>
public sealed class TlsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _serverNames = new();

    private TlsTestServer(WebApplication app, IPAddress address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The loopback address listened on.</summary>
    public IPAddress Address { get; }

    /// <summary>The port the operating system chose.</summary>
    public int Port { get; private set; }

    /// <summary>The address as a host: <c>127.0.0.1</c> or <c>::1</c>.</summary>
    public string Host => Address.ToString();

    /// <summary><c>host:port</c>, with IPv6 in brackets.</summary>
    public string Endpoint => $"{new IPEndPoint(Address, Port)}";

    /// <summary>The SNI names clients sent, in order (empty for a client that sent none).</summary>
    public IReadOnlyList<string> ReceivedServerNames => _serverNames.ToArray();

    /// <summary>Starts a server presenting <paramref name="certificate"/> and, after it, <paramref name="chain"/>.</summary>
    /// <param name="certificate">The server certificate, with its private key.</param>
    /// <param name="chain">The intermediates to send with it, leaf-most first.</param>
    /// <param name="address">The loopback address to listen on; 127.0.0.1 when null.</param>
    /// <returns>The running server.</returns>
    public static Task<TlsTestServer> StartAsync(X509Certificate2 certificate, IEnumerable<X509Certificate2>? chain = null, IPAddress? address = null)
    {
        var context = CreateContext(certificate, chain);
        return StartAsync(_ => context, address);
    }

    /// <summary>Starts a server that chooses what to present by the SNI name the client sent.</summary>
    /// <param name="select">Given the SNI name (empty when none was sent), what to present.</param>
    /// <param name="address">The loopback address to listen on; 127.0.0.1 when null.</param>
    /// <returns>The running server.</returns>
    public static async Task<TlsTestServer> StartAsync(Func<string, SslStreamCertificateContext> select, IPAddress? address = null)
    {
        ArgumentNullException.ThrowIfNull(select);
        address ??= IPAddress.Loopback;
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException("Test servers listen on loopback only.", nameof(address));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        TlsTestServer? server = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = connection =>
                {
                    var serverName = connection.ClientHelloInfo.ServerName ?? string.Empty;
                    server!._serverNames.Enqueue(serverName);
                    return ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = select(serverName) });
                },
            });
        }));

        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("ok"));
        server = new TlsTestServer(app, address);
        await app.StartAsync().ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Port = new Uri(bound).Port;
        return server;
    }

    /// <summary>What a server presents: the certificate and the intermediates after it, exactly as given.</summary>
    /// <param name="certificate">The server certificate, with its private key.</param>
    /// <param name="chain">The intermediates, leaf-most first.</param>
    /// <returns>The context.</returns>
    public static SslStreamCertificateContext CreateContext(X509Certificate2 certificate, IEnumerable<X509Certificate2>? chain = null) =>
        SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection((chain ?? []).ToArray()), offline: true);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
