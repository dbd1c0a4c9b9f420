using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CertGuard's OCSP and CRL revocation checker.</summary>
public static class CertGuardRevocationServiceCollectionExtensions
{
    /// <summary>
    /// The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client OCSP requests and CRL downloads go
    /// through; configure it (<c>services.AddHttpClient(HttpClientName)</c>) to add a proxy or a message handler.
    /// </summary>
    public const string HttpClientName = "CertGuard.Revocation";

    /// <summary>
    /// Registers <see cref="OcspCrlRevocationChecker"/> as the singleton <see cref="IRevocationChecker"/>, so sources
    /// whose <c>Revocation</c> mode is not <see cref="RevocationCheckMode.Off"/> are checked, with its HTTP requests
    /// sent through the named client <see cref="HttpClientName"/>. <c>AddCertGuard</c> calls it. Its options can also
    /// be bound from configuration with <c>services.Configure&lt;RevocationCheckerOptions&gt;(section)</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the options; the defaults when null.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCertificateRevocationChecker(this IServiceCollection services, Action<RevocationCheckerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RevocationCheckerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Each request carries its own timeout (RevocationCheckerOptions.RequestTimeout), so the client has none.
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(OcspCrlRevocationChecker.CreateHandler);
        services.TryAddSingleton<IRevocationChecker>(provider => new OcspCrlRevocationChecker(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<IOptions<RevocationCheckerOptions>>().Value,
            provider.GetService<TimeProvider>()));
        return services;
    }
}
