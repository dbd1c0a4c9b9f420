namespace CertGuard.Inspection;

/// <summary>Whether and how to check revocation.</summary>
public enum RevocationCheckMode
{
    /// <summary>Do not check (the default for files and stores: no network surprise).</summary>
    Off,

    /// <summary>Use only answers already cached; never reach the network.</summary>
    Offline,

    /// <summary>Ask OCSP responders and download CRLs (the default for TLS endpoints).</summary>
    Online,
}
