using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection.Revocation;

/// <summary>An OCSP request for one certificate (RFC 6960), with a fresh nonce so a replayed answer can be told apart.</summary>
internal sealed class OcspRequest
{
    /// <summary>Requests up to this size may go by HTTP GET (RFC 6960 appendix A.1).</summary>
    public const int MaxGetSize = 255;

    private OcspRequest(CertificateID id, byte[] nonce, byte[] encoded)
    {
        Id = id;
        Nonce = nonce;
        Encoded = encoded;
    }

    /// <summary>The certificate asked about: SHA-1 hashes of the issuer's name and key, and the serial number.</summary>
    public CertificateID Id { get; }

    /// <summary>The nonce sent.</summary>
    public byte[] Nonce { get; }

    /// <summary>The DER-encoded request.</summary>
    public byte[] Encoded { get; }

    public static CertificateID IdOf(BcCertificate certificate, BcCertificate issuer) =>
        new(CertificateID.DigestSha1, issuer, certificate.SerialNumber);

    public static OcspRequest Create(CertificateID id)
    {
        var nonce = RandomNumberGenerator.GetBytes(16);
        var generator = new OcspReqGenerator();
        generator.AddRequest(id);
        // RFC 8954: the nonce is an OCTET STRING inside the extension's OCTET STRING.
        var nonceExtension = new X509Extension(false, new DerOctetString(new DerOctetString(nonce)));
        generator.SetRequestExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
        {
            [OcspObjectIdentifiers.PkixOcspNonce] = nonceExtension,
        }));
        return new OcspRequest(id, nonce, generator.Generate().GetEncoded());
    }

    /// <summary>The GET form: the base64 request, URL-encoded, appended to the responder URL as a path segment.</summary>
    public Uri GetUri(Uri responder)
    {
        var text = responder.OriginalString;
        var separator = text.EndsWith('/') ? string.Empty : "/";
        return new Uri(text + separator + Uri.EscapeDataString(Convert.ToBase64String(Encoded)));
    }
}
