namespace CertGuard.Inspection;

/// <summary>The few facts that identify a certificate in a chain.</summary>
/// <param name="Subject">The subject distinguished name.</param>
/// <param name="Issuer">The issuer distinguished name.</param>
/// <param name="ThumbprintSha256">The SHA-256 thumbprint, upper-case hex.</param>
/// <param name="NotBefore">The start of validity, UTC.</param>
/// <param name="NotAfter">The end of validity, UTC.</param>
/// <param name="IsCertificateAuthority">Whether basic constraints mark it as a CA.</param>
/// <param name="IsSelfSigned">Whether it is self-issued (subject equals issuer).</param>
public sealed record CertificateSummary(
    string Subject,
    string Issuer,
    string ThumbprintSha256,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    bool IsCertificateAuthority,
    bool IsSelfSigned);
