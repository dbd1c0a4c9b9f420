using Org.BouncyCastle.X509;

namespace CertGuard.Loading;

/// <summary>Reads PKCS#7 (P7B) certificate bundles through BouncyCastle; the platform's reader is obsolete.</summary>
internal static class Pkcs7ContentReader
{
    public static CertificateLoadResult Read(byte[] der, string location, CertificateFormat format)
    {
        IList<X509Certificate> parsed;
        try
        {
            parsed = new X509CertificateParser().ReadCertificates(der);
        }
        catch (Exception ex) when (BouncyCastleFailure.IsParseFailure(ex))
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, $"not a valid PKCS#7 bundle ({BouncyCastleFailure.Describe(ex)})");
        }

        if (parsed.Count == 0)
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.NoCertificate, "the PKCS#7 bundle holds no certificate");
        }

        var certificates = new List<LoadedCertificate>(parsed.Count);
        var errors = new List<LoadError>();
        for (var i = 0; i < parsed.Count; i++)
        {
            var entry = parsed.Count > 1 ? $"{i + 1}" : null;
            var certificate = DerCertificateDecoder.TryDecode(parsed[i].GetEncoded(), out var problem);
            if (certificate is null)
            {
                errors.Add(new LoadError(entry is null ? location : $"{location}#{entry}", LoadErrorReason.Corrupt, problem!));
                continue;
            }

            certificates.Add(new LoadedCertificate(certificate, location, format) { Entry = entry });
        }

        return new CertificateLoadResult(BundleChain.Attach(certificates), errors);
    }
}
