namespace CertGuard.Loading;

/// <summary>Whether a private key came with a certificate, and how it was protected where it was found.</summary>
public enum PrivateKeyProtection
{
    /// <summary>No private key came with the certificate.</summary>
    Absent = 0,

    /// <summary>The private key was stored unencrypted (a plain PEM key, or a PFX with no password).</summary>
    Unencrypted,

    /// <summary>The private key was stored encrypted with a password.</summary>
    Encrypted,

    /// <summary>The private key is held by the operating system's key storage.</summary>
    PlatformProtected,

    /// <summary>A private key is present, but how it is protected cannot be told.</summary>
    Unknown,
}
