using CertGuard.AspNetCore.Discovery;
using CertGuard.AspNetCore.Drift;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CertGuard.AspNetCore.Reload;
using CertGuard.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers health checks for the certificates Kestrel serves.</summary>
public static class KestrelCertificatesHealthChecksBuilderExtensions
{
    /// <summary>The registration name <see cref="AddKestrelCertificates"/> uses by default.</summary>
    public const string DefaultName = "kestrel-certificates";

    /// <summary>
    /// Watches, with no further configuration, every certificate Kestrel is configured to serve
    /// (<c>Kestrel:Certificates:Default</c>, <c>Kestrel:Endpoints:*:Certificate</c> and their SNI certificates, files
    /// or stores), what a registered <see cref="ServerCertificateReloader"/> serves (with any refused replacement as a
    /// <c>reload-rejected</c> warning), and, by TLS handshakes on every HTTPS address Kestrel bound (with each
    /// configured SNI name), the certificate actually served and whether it is the one configured
    /// (<c>served-certificate-drift</c>). See <see cref="KestrelCertificateDiscovery"/>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The health check's name. Default <c>kestrel-certificates</c>.</param>
    /// <param name="failureStatus">Reported instead of <see cref="HealthStatus.Unhealthy"/> when a certificate cannot serve.</param>
    /// <param name="tags">Tags to filter health checks with (for example <c>ready</c>).</param>
    /// <param name="timeout">The health check's timeout.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddKestrelCertificates(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tagList = tags?.ToList() ?? [];
        builder.Services.TryAddSingleton(services => new ServedViewRefresher(services, services.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder.AddCertificateSources(name, services =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            var reloader = services.GetService<ServerCertificateReloader>();
            var refresher = services.GetRequiredService<ServedViewRefresher>();
            if (reloader is not null)
            {
                reloader.Changed += refresher.RefreshNow;
            }

            var discovery = new KestrelCertificateDiscovery(configuration, reloader);
            var served = new BoundEndpointsCertificateSource(() => services.GetService<IServer>(), configuration, reloader, refresher.RefreshAfter, $"served:{name}")
            {
                ServerStarted = services.GetService<IHostApplicationLifetime>()?.ApplicationStarted ?? CancellationToken.None,
                TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
            };
            return discovery.DiscoverConfigured().Append(served);
        }, failureStatus, tagList, timeout);
    }
}
