using CertGuard.AspNetCore.Discovery;
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
    /// or stores), the files of a registered <see cref="ServerCertificateReloader"/>, and, for each HTTPS endpoint on a
    /// fixed loopback or wildcard port, whether the certificate it actually serves is the one configured
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
        return builder.AddCertificateSources(name, services =>
        {
            var discovery = new KestrelCertificateDiscovery(services.GetRequiredService<IConfiguration>(), services.GetService<ServerCertificateReloader>());
            var started = services.GetService<IHostApplicationLifetime>()?.ApplicationStarted ?? CancellationToken.None;
            return discovery.DiscoverConfigured().Concat<CertificateSource>(discovery.DiscoverServed(started));
        }, failureStatus, tagList, timeout);
    }
}
