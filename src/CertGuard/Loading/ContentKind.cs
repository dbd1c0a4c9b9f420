namespace CertGuard.Loading;

/// <summary>What a run of bytes looks like, judged from its content alone.</summary>
internal enum ContentKind
{
    Empty,
    Unrecognized,
    Pem,
    Base64,
    DerCertificate,
    Pkcs12,
    Pkcs7,
    JavaKeyStore,
    JavaCryptographyExtensionKeyStore,
    TruncatedAsn1,
}
