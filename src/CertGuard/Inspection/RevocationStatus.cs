namespace CertGuard.Inspection;

/// <summary>What a revocation check concluded.</summary>
public enum RevocationStatus
{
    /// <summary>The issuer says the certificate is not revoked.</summary>
    Good,

    /// <summary>The issuer says the certificate is revoked.</summary>
    Revoked,

    /// <summary>No responder answered, or the answer could not be trusted or did not know the certificate.</summary>
    Unknown,
}
