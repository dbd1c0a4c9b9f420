using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.Inspection;

/// <summary>What is true of a certificate, independent of any opinion about it.</summary>
public sealed record CertificateFacts
{
    /// <summary>The file, store or endpoint the certificate was found in.</summary>
    public required string Location { get; init; }

    /// <summary>The entry inside a bundle, or <see langword="null"/>.</summary>
    public string? Entry { get; init; }

    /// <summary>How the certificate was encoded.</summary>
    public required CertificateFormat Format { get; init; }

    /// <summary>The subject distinguished name.</summary>
    public required string Subject { get; init; }

    /// <summary>The subject's common name, or <see langword="null"/> when it has none.</summary>
    public string? SubjectCommonName { get; init; }

    /// <summary>The issuer distinguished name.</summary>
    public required string Issuer { get; init; }

    /// <summary>The issuer's common name, or <see langword="null"/> when it has none.</summary>
    public string? IssuerCommonName { get; init; }

    /// <summary>The serial number, upper-case hex as encoded.</summary>
    public required string SerialNumber { get; init; }

    /// <summary>The SHA-256 thumbprint, upper-case hex.</summary>
    public required string ThumbprintSha256 { get; init; }

    /// <summary>The SHA-1 thumbprint, upper-case hex (what Windows stores and many tools still show).</summary>
    public required string ThumbprintSha1 { get; init; }

    /// <summary>The X.509 version (1 to 3).</summary>
    public int Version { get; init; }

    /// <summary>The subject alternative names.</summary>
    public IReadOnlyList<SubjectAlternativeName> SubjectAlternativeNames { get; init; } = [];

    /// <summary>The start of validity, UTC.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>The end of validity, UTC.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The whole validity period.</summary>
    public TimeSpan Lifetime => NotAfter - NotBefore;

    /// <summary>The public key algorithm: <c>RSA</c>, <c>ECDSA</c>, <c>Ed25519</c>, <c>Ed448</c>, <c>DSA</c>, <c>RSASSA-PSS</c>, or the OID.</summary>
    public required string KeyAlgorithm { get; init; }

    /// <summary>The key size in bits, when known.</summary>
    public int? KeySize { get; init; }

    /// <summary>The named curve of an elliptic-curve key (<c>P-256</c>), or <see langword="null"/>.</summary>
    public string? KeyCurve { get; init; }

    /// <summary>The signature algorithm, in OpenSSL's naming (<c>sha256WithRSAEncryption</c>, <c>ecdsa-with-SHA256</c>), or the OID.</summary>
    public required string SignatureAlgorithm { get; init; }

    /// <summary>The signature algorithm's OID.</summary>
    public required string SignatureAlgorithmOid { get; init; }

    /// <summary>The hash the signature uses (<c>sha256</c>, <c>sha1</c>, <c>md5</c>), or <see langword="null"/> when intrinsic (EdDSA) or unknown.</summary>
    public string? SignatureHashAlgorithm { get; init; }

    /// <summary>Whether basic constraints mark the certificate as a certificate authority.</summary>
    public bool IsCertificateAuthority { get; init; }

    /// <summary>The CA path length constraint, when one is set.</summary>
    public int? PathLengthConstraint { get; init; }

    /// <summary>The key usage extension, or <see langword="null"/> when absent.</summary>
    public X509KeyUsageFlags? KeyUsage { get; init; }

    /// <summary>The extended key usages, by short name (<c>serverAuth</c>, <c>codeSigning</c>) or OID.</summary>
    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [];

    /// <summary>OCSP responder URLs from the authority information access extension.</summary>
    public IReadOnlyList<string> OcspUrls { get; init; } = [];

    /// <summary>CA issuer URLs from the authority information access extension.</summary>
    public IReadOnlyList<string> CaIssuerUrls { get; init; } = [];

    /// <summary>CRL distribution point URLs.</summary>
    public IReadOnlyList<string> CrlDistributionPoints { get; init; } = [];

    /// <summary>Whether the certificate is self-signed (self-issued, with no other authority key).</summary>
    public bool IsSelfSigned { get; init; }

    /// <summary>Whether a private key came with the certificate.</summary>
    public bool HasPrivateKey => PrivateKeyProtection != PrivateKeyProtection.Absent;

    /// <summary>How the private key was protected where it was found.</summary>
    public PrivateKeyProtection PrivateKeyProtection { get; init; }

    /// <summary>
    /// The Unix permissions of the file the private key was read from, or <see langword="null"/> when it came from no
    /// file or the platform has no Unix permissions.
    /// </summary>
    public UnixFileMode? PrivateKeyFileMode { get; init; }

    /// <summary>Whether this certificate is part of another certificate's chain in the same bundle, not a certificate in use on its own.</summary>
    public bool IsChainMember { get; init; }

    /// <summary>The other certificates presented with this one (bundle or TLS handshake), in order.</summary>
    public IReadOnlyList<CertificateSummary> PresentedChain { get; init; } = [];

    /// <summary>The earliest end of validity among this certificate and its presented chain.</summary>
    public DateTimeOffset PresentedChainNotAfter =>
        PresentedChain.Count == 0 ? NotAfter : PresentedChain.Min(c => c.NotAfter) is var earliest && earliest < NotAfter ? earliest : NotAfter;

    /// <summary>The chain built with the caller's trust, or <see langword="null"/> when trust was not evaluated.</summary>
    public ChainFacts? Chain { get; init; }

    /// <summary>The TLS connection the certificate was served on, when it came from an endpoint.</summary>
    public TlsConnectionInfo? Connection { get; init; }

    /// <summary>
    /// The certificate configured to be served where this one was observed, when a source compared the two; it differs
    /// from this one when the server drifted from its configuration (a reload that never happened or failed).
    /// </summary>
    public CertificateSummary? ConfiguredCertificate { get; init; }

    /// <summary>Findings the source itself made (see <see cref="LoadedCertificate.ReportedFindings"/>); the policy adds them to its own.</summary>
    public IReadOnlyList<Policy.Finding> ReportedFindings { get; init; } = [];

    /// <summary>The revocation status, or <see langword="null"/> when revocation was not checked.</summary>
    public RevocationFacts? Revocation { get; init; }

    /// <summary>The location with the entry, as a person would name it.</summary>
    public string DisplayLocation => Entry is null ? Location : $"{Location}#{Entry}";
}
