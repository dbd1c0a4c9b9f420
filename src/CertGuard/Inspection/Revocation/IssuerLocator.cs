using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection.Revocation;

/// <summary>
/// Finds the certificate that issued another: the one whose subject is the certificate's issuer and whose key
/// verifies its signature, first among the certificates presented with it, then through the platform's chain
/// builder (which looks in the system's stores but is not allowed to download).
/// </summary>
internal static class IssuerLocator
{
    public static BcCertificate? Find(LoadedCertificate loaded, BcCertificate certificate)
    {
        foreach (var candidate in loaded.PresentedChain)
        {
            if (Parse(candidate.RawData) is { } parsed && Issued(parsed, certificate))
            {
                return parsed;
            }
        }

        return FromPlatformChain(loaded, certificate);
    }

    public static BcCertificate? Parse(byte[] der)
    {
        try
        {
            return new BcCertificate(der);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    public static bool Issued(BcCertificate issuer, BcCertificate certificate)
    {
        if (!issuer.SubjectDN.Equivalent(certificate.IssuerDN))
        {
            return false;
        }

        try
        {
            return certificate.IsSignatureValid(issuer.GetPublicKey());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static BcCertificate? FromPlatformChain(LoadedCertificate loaded, BcCertificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllFlags;
        foreach (var presented in loaded.PresentedChain)
        {
            chain.ChainPolicy.ExtraStore.Add(presented);
        }

        try
        {
            chain.Build(loaded.Certificate);
            var elements = chain.ChainElements;
            var issuer = elements.Count > 1 ? Parse(elements[1].Certificate.RawData) : null;
            foreach (var element in elements)
            {
                if (!ReferenceEquals(element.Certificate, loaded.Certificate) && !loaded.PresentedChain.Contains(element.Certificate))
                {
                    element.Certificate.Dispose();
                }
            }

            return issuer is not null && Issued(issuer, certificate) ? issuer : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
