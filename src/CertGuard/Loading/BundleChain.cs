using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Loading;

/// <summary>
/// Gives the leaf of a bundle the rest of the bundle as its presented chain, and marks the certificates that issued it
/// (directly or up the chain) as its chain members: a <c>fullchain.pem</c> is one leaf and its chain, not several
/// certificates in use. A bundle whose first certificate is a CA (a trust bundle, a chain without its leaf) has no leaf,
/// and a certificate that issued nothing on the leaf's path (an unrelated CA) stays a certificate of its own.
/// </summary>
internal static class BundleChain
{
    private const string BasicConstraintsOid = "2.5.29.19";

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
        result[leafIndex] = new LoadedCertificate(leaf.Handle, leaf.Location, leaf.Format)
        {
            Entry = leaf.Entry,
            PrivateKeyProtection = leaf.PrivateKeyProtection,
            Connection = leaf.Connection,
            PresentedChain = chain,
        };

        foreach (var member in IssuerPath(certificates, leafIndex))
        {
            var found = certificates[member];
            result[member] = new LoadedCertificate(found.Handle, found.Location, found.Format)
            {
                Entry = found.Entry,
                PrivateKeyProtection = found.PrivateKeyProtection,
                Connection = found.Connection,
                IsChainMember = true,
            };
        }

        return result;
    }

    /// <summary>The indexes of the certificates on the leaf's issuer path, leaf excluded; none when the leaf is a CA.</summary>
    private static List<int> IssuerPath(List<LoadedCertificate> certificates, int leafIndex)
    {
        var path = new List<int>();
        var current = certificates[leafIndex].Certificate;
        if (IsCertificateAuthority(current))
        {
            return path;
        }

        while (!IsSelfIssued(current))
        {
            var issuer = -1;
            for (var i = 0; i < certificates.Count && issuer < 0; i++)
            {
                if (i != leafIndex && !path.Contains(i)
                    && certificates[i].Certificate.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData))
                {
                    issuer = i;
                }
            }

            if (issuer < 0)
            {
                break;
            }

            path.Add(issuer);
            current = certificates[issuer].Certificate;
        }

        return path;
    }

    private static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    private static bool IsCertificateAuthority(X509Certificate2 certificate)
    {
        try
        {
            return certificate.Extensions[BasicConstraintsOid] is X509BasicConstraintsExtension { CertificateAuthority: true };
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // An unreadable extension: judge the certificate on its own, as before.
            return true;
        }
    }
}
