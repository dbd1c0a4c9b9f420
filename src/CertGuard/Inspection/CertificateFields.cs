using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection;

/// <summary>
/// The fields of one certificate the inspector reports, read once by either <see cref="CertificateFieldReader"/>
/// path (managed or platform); both give the same values, which the corpus tests prove.
/// </summary>
internal sealed record CertificateFields
{
    public required string Subject { get; init; }
    public string? SubjectCommonName { get; init; }
    public required string Issuer { get; init; }
    public string? IssuerCommonName { get; init; }
    public required string SerialNumber { get; init; }
    public required string ThumbprintSha256 { get; init; }
    public required string ThumbprintSha1 { get; init; }
    public int Version { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    public required string KeyAlgorithm { get; init; }
    public int? KeySize { get; init; }
    public string? KeyCurve { get; init; }
    public required string SignatureAlgorithmOid { get; init; }

    /// <summary>Whether the subject and issuer names are the same bytes.</summary>
    public bool IsSelfIssuedName { get; init; }

    /// <summary>BouncyCastle's reading of the certificate, for the extensions; <see langword="null"/> when it cannot read it.</summary>
    public BcCertificate? Parsed { get; init; }
}
