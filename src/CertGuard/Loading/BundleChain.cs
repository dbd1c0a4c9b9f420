using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Loading;

/// <summary>Gives the first certificate of a bundle the rest of the bundle as its presented chain.</summary>
internal static class BundleChain
{
    public static List<LoadedCertificate> Attach(List<LoadedCertificate> certificates, int leafIndex = 0)
    {
        if (certificates.Count < 2)
        {
            return certificates;
        }

        var leaf = certificates[leafIndex];
        var chain = new List<X509Certificate2>(certificates.Count - 1);
        for (var i = 0; i < certificates.Count; i++)
        {
            if (i != leafIndex)
            {
                chain.Add(certificates[i].Certificate);
            }
        }

        var result = new List<LoadedCertificate>(certificates);
        result[leafIndex] = new LoadedCertificate(leaf.Certificate, leaf.Location, leaf.Format)
        {
            Entry = leaf.Entry,
            PrivateKeyProtection = leaf.PrivateKeyProtection,
            Connection = leaf.Connection,
            PresentedChain = chain,
        };
        return result;
    }
}
