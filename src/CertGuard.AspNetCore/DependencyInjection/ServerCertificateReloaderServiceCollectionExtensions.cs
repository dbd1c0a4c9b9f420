using System.Diagnostics.Metrics;
using CertGuard.AspNetCore.Reload;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="ServerCertificateReloader"/> as a service.</summary>
public static class ServerCertificateReloaderServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="ServerCertificateReloader"/>, with the application's clock, logger and meter factory,
    /// so Kestrel can serve from it (<c>UseHttps(reloader)</c>, <c>UseReloadingCertificate(reloader)</c>) and
    /// <c>AddKestrelCertificates()</c> watches its files.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="addCertificates">Adds the certificate files to serve (<see cref="ServerCertificateReloader.Add"/>).</param>
    /// <param name="configure">Adjusts the reloader's options, or null for the defaults.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddServerCertificateReloader(this IServiceCollection services, Action<ServerCertificateReloader> addCertificates, Action<ServerCertificateReloaderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(addCertificates);
        services.AddSingleton(provider =>
        {
            var options = new ServerCertificateReloaderOptions();
            configure?.Invoke(options);
            var reloader = new ServerCertificateReloader(
                options,
                provider.GetService<TimeProvider>(),
                provider.GetService<ILogger<ServerCertificateReloader>>(),
                provider.GetService<IMeterFactory>());
            try
            {
                addCertificates(reloader);
                return reloader;
            }
            catch
            {
                reloader.Dispose();
                throw;
            }
        });
        return services;
    }
}
