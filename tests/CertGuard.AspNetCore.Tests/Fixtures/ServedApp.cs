using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
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
/// A real app as a user writes it: Kestrel on loopback (the test's HTTPS setup, plus plain HTTP for the probes),
/// <c>AddKestrelCertificates()</c>, <c>/health</c> and <c>/health/details</c>. Dispose to stop it.
/// </summary>
public sealed class ServedApp : IAsyncDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly WebApplication _app;
    private readonly HttpClient _client = new();

    private ServedApp(WebApplication app, int healthPort, IReadOnlyList<string> httpsAddresses)
    {
        _app = app;
        HealthPort = healthPort;
        HttpsAddresses = httpsAddresses;
    }

    /// <summary>The plain HTTP port /health answers on.</summary>
    public int HealthPort { get; }

    /// <summary>The HTTPS addresses Kestrel bound.</summary>
    public IReadOnlyList<string> HttpsAddresses { get; }

    /// <summary>The HTTPS ports Kestrel bound.</summary>
    public IReadOnlyList<int> HttpsPorts => HttpsAddresses.Select(a => new Uri(a.Replace("[::]", "localhost", StringComparison.Ordinal)).Port).ToList();

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the app.</summary>
    /// <param name="configure">Configuration and services (the reloader), before the build.</param>
    /// <param name="listen">HTTPS endpoints in code, or null for none (then configuration decides).</param>
    public static async Task<ServedApp> StartAsync(Action<WebApplicationBuilder> configure, Action<KestrelServerOptions>? listen = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        configure(builder);
        builder.Services.AddHealthChecks().AddKestrelCertificates();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (listen is not null)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
                listen(kestrel);
            }
        });
        var app = builder.Build();
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/health/details", new HealthCheckOptions { ResponseWriter = WriteDetailsAsync });
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToList();
        var http = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal));
        return new ServedApp(app, new Uri(http).Port, addresses.Where(a => a.StartsWith("https://", StringComparison.Ordinal)).ToList());
    }

    /// <summary>GET /health: the HTTP code and the status text.</summary>
    public async Task<(int Code, string Status)> HealthAsync()
    {
        using var response = await _client.GetAsync(new Uri($"http://127.0.0.1:{HealthPort}/health"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET /health/details: the kestrel-certificates entry.</summary>
    public async Task<HealthDetails> DetailsAsync()
    {
        // 503 when unhealthy, with the same body: read it either way.
        using var response = await _client.GetAsync(new Uri($"http://127.0.0.1:{HealthPort}/health/details"));
        var json = await response.Content.ReadAsStringAsync();
        return new HealthDetails(JsonDocument.Parse(json).RootElement.GetProperty("kestrel-certificates").Clone());
    }

    /// <summary>Polls /health/details until the condition holds or the hang guard (60 s) runs out; returns the last details.</summary>
    public async Task<HealthDetails> WaitForDetailsAsync(Func<HealthDetails, bool> condition)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        HealthDetails details;
        do
        {
            details = await DetailsAsync();
            if (condition(details))
            {
                return details;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return details;
    }

    /// <summary>
    /// A handshake by a client that trusts only <paramref name="root"/> and fetches nothing: the served certificate's
    /// thumbprint and the policy errors it met (a missing intermediate is <see cref="SslPolicyErrors.RemoteCertificateChainErrors"/>).
    /// </summary>
    public static async Task<(string Thumbprint, SslPolicyErrors Errors)> HandshakeTrustingOnlyAsync(int port, X509Certificate2 root, string serverName = "app.test")
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(root);
        var errors = SslPolicyErrors.None;
        using var guard = new CancellationTokenSource(HangGuard);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = (_, _, _, e) =>
                {
                    errors = e;
                    return true;
                },
            }, guard.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return ($"error: {ex.Message}", errors);
        }

        return (tls.RemoteCertificate is { } served ? new X509Certificate2(served).Thumbprint : "none", errors);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task WriteDetailsAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var entries = report.Entries.ToDictionary(e => e.Key, e => new
        {
            status = e.Value.Status.ToString(),
            description = e.Value.Description,
            data = e.Value.Data,
        });
        return context.Response.WriteAsync(JsonSerializer.Serialize(entries));
    }
}
