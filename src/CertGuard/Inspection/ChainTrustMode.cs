namespace CertGuard.Inspection;

/// <summary>Which roots a certificate chain is checked against.</summary>
public enum ChainTrustMode
{
    /// <summary>The chain is not evaluated (internal PKIs are common; the default for files and stores).</summary>
    None,

    /// <summary>The operating system's trusted roots (the default for TLS endpoints).</summary>
    System,

    /// <summary>Only the roots given in <see cref="ChainTrust.CustomRoots"/>.</summary>
    Custom,
}
