namespace CertGuard.AspNetCore.TlsErrors;

/// <summary>Why a TLS handshake failed, as far as the server can tell.</summary>
public enum TlsHandshakeFailureReason
{
    /// <summary>The handshake failed for another reason (the client gave up, rejected our certificate, a cipher mismatch, ...).</summary>
    Other,

    /// <summary>No certificate is configured for the server name the client asked for.</summary>
    NoCertificate,

    /// <summary>The client's certificate was missing where one is required, or rejected.</summary>
    ClientCertificateRejected,

    /// <summary>The client and the server have no TLS version in common.</summary>
    ProtocolMismatch,
}
