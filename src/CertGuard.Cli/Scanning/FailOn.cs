namespace CertGuard.Cli.Scanning;

/// <summary>The status from which the scan exits with 1.</summary>
internal enum FailOn
{
    /// <summary>Fail when any certificate is degraded or unhealthy, or anything failed to load.</summary>
    Degraded,

    /// <summary>Fail when any certificate is unhealthy or anything failed to load.</summary>
    Unhealthy,

    /// <summary>Never fail for what was found.</summary>
    Never,
}
