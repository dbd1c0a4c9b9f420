namespace CertGuard.Loading;

/// <summary>How a certificate was encoded where it was found.</summary>
public enum CertificateFormat
{
    /// <summary>The encoding could not be determined.</summary>
    Unknown = 0,

    /// <summary>PEM text (one or more <c>-----BEGIN ...-----</c> blocks).</summary>
    Pem,

    /// <summary>A single DER-encoded certificate.</summary>
    Der,

    /// <summary>A PKCS#12 (PFX) archive.</summary>
    Pkcs12,

    /// <summary>A PKCS#7 (P7B) certificate bundle, DER or PEM.</summary>
    Pkcs7,

    /// <summary>A Java keystore (JKS).</summary>
    JavaKeyStore,

    /// <summary>An operating system certificate store.</summary>
    Store,

    /// <summary>A certificate presented by a server during a TLS handshake.</summary>
    TlsHandshake,

    /// <summary>An <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2"/> handed over in code.</summary>
    Instance,
}
