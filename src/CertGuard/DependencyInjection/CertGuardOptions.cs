using CertGuard.Policy;

namespace CertGuard.DependencyInjection;

/// <summary>
/// One <c>AddCertGuard</c> registration: how often to refresh, the thresholds to judge by and which certificates to
/// watch. Bound from a configuration section (the thresholds, <c>DegradedBefore</c>, <c>UnhealthyBefore</c>, ..., sit
/// at the top of the section) or set in code; validated the same way at start and on every configuration reload.
/// </summary>
public sealed class CertGuardOptions
{
    /// <summary>How often every certificate is refreshed; the monitor's default (5 minutes) when null. At most 7 days.</summary>
    public TimeSpan? RefreshInterval { get; set; }

    /// <summary>The thresholds this registration's certificates are judged by.</summary>
    public CertificatePolicyOptions Policy { get; } = new();

    /// <summary>The certificates to watch.</summary>
    public IList<CertificateSourceOptions> Certificates { get; } = [];

    /// <summary>What the configuration reader could not read (unknown keys, unparsable values), one line each.</summary>
    internal List<string> ReadProblems { get; } = [];
}
