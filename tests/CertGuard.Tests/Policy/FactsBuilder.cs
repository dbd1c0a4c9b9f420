using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.Tests.Policy;

/// <summary>Facts for policy tests: the policy is pure, so it is tested on facts, not certificates.</summary>
internal static class FactsBuilder
{
    public static CertificateFacts Leaf(DateTimeOffset notBefore, DateTimeOffset notAfter) => new()
    {
        Location = "leaf.pem",
        Format = CertificateFormat.Pem,
        Subject = "CN=leaf.example.test",
        SubjectCommonName = "leaf.example.test",
        Issuer = "CN=Test CA",
        IssuerCommonName = "Test CA",
        SerialNumber = "01",
        ThumbprintSha256 = "AA",
        ThumbprintSha1 = "BB",
        NotBefore = notBefore,
        NotAfter = notAfter,
        KeyAlgorithm = "ECDSA",
        KeySize = 256,
        KeyCurve = "P-256",
        SignatureAlgorithm = "ecdsa-with-SHA256",
        SignatureAlgorithmOid = "1.2.840.10045.4.3.2",
        SignatureHashAlgorithm = "sha256",
        SubjectAlternativeNames = [new(SubjectAlternativeNameKind.Dns, "leaf.example.test")],
        ExtendedKeyUsages = ["serverAuth"],
    };

    /// <summary>A healthy 90-day leaf, 10 days into its life at <see cref="TestCertificates.Now"/>.</summary>
    public static CertificateFacts Healthy() => Leaf(TestCertificates.Now.AddDays(-10), TestCertificates.Now.AddDays(80));
}
