using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.Tests.Fixtures;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a free port whose HTTPS the test configures (to plug in the code under
/// test: <c>UseHttps(reloader)</c>, <c>ConfigureHttpsDefaults</c>). Answers <c>ok</c>. Dispose to stop it.
/// </summary>
public sealed class HttpsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpsTestServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The port the operating system chose.</summary>
    public int Port { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server.</summary>
    /// <param name="listen">Configures the endpoint (call UseHttps in it).</param>
    /// <param name="kestrel">Configures Kestrel as a whole, or null.</param>
    /// <param name="services">Adds services, or null.</param>
    /// <returns>The running server.</returns>
    public static async Task<HttpsTestServer> StartAsync(Action<ListenOptions> listen, Action<KestrelServerOptions>? kestrel = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(options =>
        {
            kestrel?.Invoke(options);
            options.Listen(IPAddress.Loopback, 0, endpoint =>
            {
                endpoint.Protocols = HttpProtocols.Http1;
                listen(endpoint);
            });
        });
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("ok"));
        await app.StartAsync().ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new HttpsTestServer(app, new Uri(bound).Port);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
