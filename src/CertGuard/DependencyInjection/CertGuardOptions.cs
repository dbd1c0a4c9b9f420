using CertGuard.Policy;

namespace CertGuard.DependencyInjection;

/// <summary>
/// The <c>CertGuard</c> configuration section: how often to refresh and which certificates to watch. The policy
/// thresholds (<c>DegradedBefore</c>, <c>UnhealthyBefore</c>, ...) live in the same section and bind to
/// <see cref="CertificatePolicyOptions"/>.
/// </summary>
public sealed class CertGuardOptions
{
    /// <summary>How often every certificate is refreshed; the monitor's default (5 minutes) when null.</summary>
    public TimeSpan? RefreshInterval { get; set; }

    /// <summary>The certificates to watch.</summary>
    public IList<CertificateSourceOptions> Certificates { get; } = [];
}
