namespace CertGuard.Loading;

/// <summary>The PEM labels CertGuard understands.</summary>
internal static class PemLabels
{
    public const string TrustedCertificate = "TRUSTED CERTIFICATE";
    public const string EncryptedPrivateKey = "ENCRYPTED PRIVATE KEY";

    public static bool IsCertificate(string label) =>
        label is "CERTIFICATE" or "X509 CERTIFICATE" or "X.509 CERTIFICATE" or TrustedCertificate;

    public static bool IsPkcs7(string label) => label is "PKCS7" or "PKCS #7 SIGNED DATA" or "CMS";

    public static bool IsPrivateKey(string label) =>
        label is "PRIVATE KEY" or EncryptedPrivateKey or "RSA PRIVATE KEY" or "EC PRIVATE KEY" or "DSA PRIVATE KEY" or "OPENSSH PRIVATE KEY";
}
