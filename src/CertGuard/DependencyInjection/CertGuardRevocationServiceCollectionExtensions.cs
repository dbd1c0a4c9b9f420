using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CertGuard's OCSP and CRL revocation checker.</summary>
public static class CertGuardRevocationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OcspCrlRevocationChecker"/> as the singleton <see cref="IRevocationChecker"/>, so sources
    /// whose <c>Revocation</c> mode is not <see cref="RevocationCheckMode.Off"/> are checked. Its options can also be
    /// bound from configuration with <c>services.Configure&lt;RevocationCheckerOptions&gt;(section)</c>.
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

        services.TryAddSingleton<IRevocationChecker>(provider => new OcspCrlRevocationChecker(
            httpClient: null,
            provider.GetRequiredService<IOptions<RevocationCheckerOptions>>().Value,
            provider.GetService<TimeProvider>()));
        return services;
    }
}
