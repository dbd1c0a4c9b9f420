using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;

namespace CertGuard.Loading;

/// <summary>Turns DER bytes into a platform certificate, or a reason it cannot.</summary>
internal static class DerCertificateDecoder
{
    /// <summary>
    /// The certificate in <paramref name="der"/> as a handle: read by the managed parser when it can (no platform
    /// certificate until one is needed), else decoded by the platform as before, with the platform's reason on failure.
    /// </summary>
    public static CertificateHandle? TryRead(ReadOnlySpan<byte> der, out string? problem)
    {
        if (CertificateFieldReader.TryReadManaged(der) is { } fields)
        {
            problem = null;
            return new CertificateHandle(der.ToArray(), fields);
        }

        return TryDecode(der, out problem) is { } certificate ? new CertificateHandle(certificate) : null;
    }

    public static X509Certificate2? TryDecode(ReadOnlySpan<byte> der, out string? problem)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException ex)
        {
            problem = $"not a valid X.509 certificate ({ex.Message.TrimEnd('.')})";
            return null;
        }

        // The platform parses some fields lazily: a certificate whose fields no parser can read is corrupt, and is
        // better reported here, naming the file, than thrown later from inspection.
        problem = UnreadableField(certificate);
        if (problem is not null)
        {
            certificate.Dispose();
            return null;
        }

        return certificate;
    }

    /// <summary>Why a field the platform parses lazily cannot be read, or <see langword="null"/> when all can.</summary>
    public static string? UnreadableField(X509Certificate2 certificate)
    {
        if (!ValidityReader.TryRead(certificate, out _, out _))
        {
            return "its validity dates cannot be read";
        }

        var field = "subject";
        try
        {
            _ = certificate.Subject;
            field = "issuer";
            _ = certificate.Issuer;
            field = "serial number";
            _ = certificate.SerialNumber;
            field = "version";
            _ = certificate.Version;
            field = "signature algorithm";
            _ = certificate.SignatureAlgorithm.Value;
            field = "public key";
            _ = certificate.PublicKey.Oid.Value;
            return null;
        }
        catch (CryptographicException)
        {
            return $"its {field} cannot be read";
        }
    }

    /// <summary>
    /// The first DER element of <paramref name="data"/>: OpenSSL's <c>TRUSTED CERTIFICATE</c> blocks append
    /// trust settings after the certificate, which the platform loader would reject as trailing data.
    /// </summary>
    public static ReadOnlySpan<byte> FirstElement(ReadOnlySpan<byte> data)
    {
        try
        {
            AsnDecoder.ReadEncodedValue(data, AsnEncodingRules.BER, out _, out _, out var consumed);
            return data[..consumed];
        }
        catch (AsnContentException)
        {
            return data;
        }
    }
}
