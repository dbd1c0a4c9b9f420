namespace CertGuard.Inspection;

/// <summary>One subject alternative name of a certificate.</summary>
/// <param name="Kind">The kind of name.</param>
/// <param name="Value">The name itself.</param>
public sealed record SubjectAlternativeName(SubjectAlternativeNameKind Kind, string Value)
{
    /// <summary>The name in OpenSSL's notation: <c>DNS:example.com</c>, <c>IP:192.0.2.1</c>.</summary>
    public override string ToString() => Kind switch
    {
        SubjectAlternativeNameKind.Dns => $"DNS:{Value}",
        SubjectAlternativeNameKind.IPAddress => $"IP:{Value}",
        SubjectAlternativeNameKind.Email => $"email:{Value}",
        SubjectAlternativeNameKind.Uri => $"URI:{Value}",
        _ => $"othername:{Value}",
    };
}
