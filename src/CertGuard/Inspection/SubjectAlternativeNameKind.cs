namespace CertGuard.Inspection;

/// <summary>The kind of a subject alternative name.</summary>
public enum SubjectAlternativeNameKind
{
    /// <summary>A DNS name (<c>DNS:example.com</c>).</summary>
    Dns,

    /// <summary>An IPv4 or IPv6 address (<c>IP:192.0.2.1</c>).</summary>
    IPAddress,

    /// <summary>An email address (<c>email:ops@example.com</c>).</summary>
    Email,

    /// <summary>A URI (<c>URI:spiffe://example.org/service</c>).</summary>
    Uri,

    /// <summary>Another kind of name (directory name, other name, registered id).</summary>
    Other,
}
