using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CertGuard.Benchmarks.HealthPollContrast;

/// <summary>
/// One process that answers three ways over the same TLS endpoints, so a load test compares them in one run:
/// <c>/alive</c> (no checks), <c>/health</c> (CertGuard: a cached snapshot refreshed in the background) and
/// <c>/health/handshake</c> (a TCP and TLS handshake to every endpoint on every poll).
/// Usage: <c>serve-contrast --urls http://127.0.0.1:5090 --endpoints 127.0.0.1:18543,127.0.0.1:18544 --roots ca.pem</c>.
/// </summary>
internal static class HealthPollContrastHost
{
    private const string CachedTag = "certguard";
    private const string HandshakeTag = "handshake";
    private const string LiveTag = "live";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var endpoints = (builder.Configuration["endpoints"] ?? throw new ArgumentException("--endpoints host:port,... is required."))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(TlsEndpoint.Parse)
            .ToList();
        var rootsPath = builder.Configuration["roots"] ?? throw new ArgumentException("--roots <ca.pem> is required.");
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(rootsPath);

        // CertGuard as a user configures it: one check over the endpoints, trusting the same roots as the contrast,
        // revocation off on both sides (the test certificates name no OCSP or CRL server).
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < endpoints.Count; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"CertGuard:Certificates:{i}:");
            settings[prefix + "Endpoint"] = endpoints[i].ToString();
            settings[prefix + "Trust"] = "Custom";
            settings[prefix + "TrustedRootsPath"] = rootsPath;
            settings[prefix + "Revocation"] = "Off";
        }

        builder.Configuration.AddInMemoryCollection(settings);
        var warnBefore = TimeSpan.FromDays(30);
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: [LiveTag])
            .AddCertGuard(builder.Configuration.GetSection("CertGuard"), tags: [CachedTag])
            .Add(new HealthCheckRegistration(
                "tls-handshake",
                services => new HandshakeHealthCheck(endpoints, roots, warnBefore, services.GetRequiredService<TimeProvider>()),
                failureStatus: null,
                tags: [HandshakeTag]));

        var app = builder.Build();
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => check.Tags.Contains(CachedTag) });
        app.MapHealthChecks("/health/handshake", new HealthCheckOptions { Predicate = check => check.Tags.Contains(HandshakeTag) });
        await app.RunAsync().ConfigureAwait(false);
    }
}
