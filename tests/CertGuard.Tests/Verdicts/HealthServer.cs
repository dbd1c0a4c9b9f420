using System.Net;
using CertGuard.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CertGuard.Tests.Verdicts;

/// <summary>
/// A real web application on a loopback port, configured from a JSON settings file that reloads on change, serving
/// <c>/health</c> (every check) and <c>/health/{tag}</c> for the tags given, as a load balancer would poll it.
/// </summary>
internal sealed class HealthServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private HealthServer(WebApplication app, Uri address)
    {
        _app = app;
        _client = new HttpClient { BaseAddress = address };
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds the application; throws what its start throws (a configuration mistake, for example).</summary>
    public static async Task<HealthServer> StartAsync(string settingsFile, Action<IHealthChecksBuilder, IConfiguration> register, params string[] tags)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(settingsFile, optional: false, reloadOnChange: true);
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        register(builder.Services.AddHealthChecks(), builder.Configuration);
        var app = builder.Build();
        app.MapHealthChecks("/health");
        foreach (var tag in tags)
        {
            app.MapHealthChecks($"/health/{tag}", new HealthCheckOptions { Predicate = check => check.Tags.Contains(tag) });
        }

        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        await app.Services.GetRequiredService<CertificateMonitor>().FirstRefresh.WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new HealthServer(app, new Uri(address));
    }

    /// <summary>The exact HTTP code and body (the status word) of one poll.</summary>
    public async Task<(int Code, string Body)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls until the answer is <paramref name="body"/>; the timeout is only a hang guard. Returns the exact answer.</summary>
    public async Task<(int Code, string Body)> GetWhenAsync(string path, string body)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var answer = await GetAsync(path);
            if (answer.Body == body || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Replaces a settings file in one step, as deployment tools do, so no reader sees half of it.</summary>
    public static void WriteSettings(string path, string json)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
