using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;

namespace CertGuard.Loading;

/// <summary>Turns DER bytes into a platform certificate, or a reason it cannot.</summary>
internal static class DerCertificateDecoder
{
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

        // The platform parses some fields lazily: a certificate whose dates no parser can read is corrupt, and is
        // better reported here, naming the file, than thrown later from inspection.
        if (!ValidityReader.TryRead(certificate, out _, out _))
        {
            certificate.Dispose();
            problem = "its validity dates cannot be read";
            return null;
        }

        problem = null;
        return certificate;
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
