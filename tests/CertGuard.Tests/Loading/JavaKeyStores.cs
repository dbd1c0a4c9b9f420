using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace CertGuard.Tests.Loading;

/// <summary>Writes Java keystores with BouncyCastle, since the platform cannot.</summary>
internal static class JavaKeyStores
{
    public static byte[] Create(string password, params (string Alias, X509Certificate2 Certificate, X509Certificate2[]? Chain)[] entries)
    {
        var store = new JksStore();
        var parser = new X509CertificateParser();
        foreach (var (alias, certificate, chain) in entries)
        {
            var bcCertificate = parser.ReadCertificate(certificate.RawData);
            if (chain is null)
            {
                store.SetCertificateEntry(alias, bcCertificate);
                continue;
            }

            var key = DotNetUtilities.GetKeyPair(certificate.GetRSAPrivateKey()!).Private;
            var bcChain = new[] { bcCertificate }.Concat(chain.Select(c => parser.ReadCertificate(c.RawData))).ToArray();
            store.SetKeyEntry(alias, key, password.ToCharArray(), bcChain);
        }

        using var stream = new MemoryStream();
        store.Save(stream, password.ToCharArray());
        return stream.ToArray();
    }
}
