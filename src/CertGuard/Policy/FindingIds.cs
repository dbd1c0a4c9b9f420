namespace CertGuard.Policy;

/// <summary>The stable ids of CertGuard's findings. They are a public contract: alert rules and reports key on them.</summary>
public static class FindingIds
{
    /// <summary>The certificate's validity has ended.</summary>
    public const string Expired = "expired";

    /// <summary>The certificate's validity has not begun.</summary>
    public const string NotYetValid = "not-yet-valid";

    /// <summary>The certificate is inside its warning (or unhealthy) window.</summary>
    public const string ExpiresSoon = "expires-soon";

    /// <summary>An intermediate of the chain has expired.</summary>
    public const string IntermediateExpired = "intermediate-expired";

    /// <summary>An intermediate of the chain is inside its warning window.</summary>
    public const string IntermediateExpiresSoon = "intermediate-expires-soon";

    /// <summary>The key is shorter than the policy allows.</summary>
    public const string WeakKey = "weak-key";

    /// <summary>The signature uses a broken hash (MD2, MD4, MD5, SHA-1).</summary>
    public const string WeakSignatureHash = "weak-signature-hash";

    /// <summary>A leaf is valid for longer than the policy allows.</summary>
    public const string LongValidity = "long-validity";

    /// <summary>A TLS server certificate has no DNS or IP subject alternative name.</summary>
    public const string MissingSan = "missing-san";

    /// <summary>A served certificate is not valid for the name the client asked for.</summary>
    public const string HostnameMismatch = "hostname-mismatch";

    /// <summary>The certificate is self-signed.</summary>
    public const string SelfSigned = "self-signed";

    /// <summary>A CA certificate is used as a leaf.</summary>
    public const string LeafIsCa = "leaf-is-ca";

    /// <summary>The chain does not lead to a trusted root.</summary>
    public const string UntrustedChain = "untrusted-chain";

    /// <summary>The chain cannot be built: an intermediate is missing.</summary>
    public const string IncompleteChain = "incomplete-chain";

    /// <summary>The private key is stored unencrypted.</summary>
    public const string UnprotectedPrivateKey = "unprotected-private-key";

    /// <summary>The issuer says the certificate is revoked.</summary>
    public const string Revoked = "revoked";

    /// <summary>Revocation was checked, but no trustworthy answer came.</summary>
    public const string RevocationUnknown = "revocation-unknown";

    /// <summary>The CRL used is past its next update.</summary>
    public const string CrlStale = "crl-stale";

    /// <summary>The certificate a server serves differs from the one configured.</summary>
    public const string ServedCertificateDrift = "served-certificate-drift";

    /// <summary>A source gave no certificate.</summary>
    public const string LoadError = "load-error";

    /// <summary>A server refused to reload a new certificate (unreadable, key mismatch, expired, untrusted) and kept serving the old one.</summary>
    public const string ReloadRejected = "reload-rejected";
}
