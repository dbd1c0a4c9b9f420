using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Loading;

/// <summary>
/// Pairs PEM private keys with the certificates they belong to, to record that a key came with a
/// certificate and how it was protected. Unencrypted keys are checked against the certificate's public key;
/// encrypted keys cannot be without a password, so they are taken to belong to the leaf.
/// </summary>
internal static class PrivateKeyMatcher
{
    public static CertificateLoadResult Assign(CertificateLoadResult result, IReadOnlyList<PemBlock> keys, string keyLocation)
    {
        if (keys.Count == 0 || result.Certificates.Count == 0)
        {
            return result;
        }

        var certificates = result.Certificates.ToList();
        var errors = result.Errors.ToList();
        foreach (var key in keys)
        {
            if (key.Data is null)
            {
                errors.Add(new LoadError(keyLocation, LoadErrorReason.Corrupt, key.Problem!));
                continue;
            }

            var encrypted = key.Label == PemLabels.EncryptedPrivateKey || key.IsLegacyEncrypted;
            var index = encrypted ? 0 : FindOwner(certificates, key);
            if (index < 0)
            {
                errors.Add(new LoadError(keyLocation, LoadErrorReason.KeyMismatch, "the private key does not belong to any certificate it came with"));
                continue;
            }

            var owner = certificates[index];
            certificates[index] = new LoadedCertificate(owner.Handle, owner.Location, owner.Format)
            {
                Entry = owner.Entry,
                Connection = owner.Connection,
                PresentedChain = owner.PresentedChain,
                ConfiguredCertificate = owner.ConfiguredCertificate,
                IsChainMember = owner.IsChainMember,
                PrivateKeyProtection = encrypted ? PrivateKeyProtection.Encrypted : PrivateKeyProtection.Unencrypted,
            };
        }

        return new CertificateLoadResult(certificates, errors);
    }

    /// <returns>The index of the certificate the key belongs to, 0 when it cannot be checked, -1 when none matches.</returns>
    private static int FindOwner(List<LoadedCertificate> certificates, PemBlock key)
    {
        var pem = PemEncoding.WriteString(key.Label, key.Data);
        var checkedAny = false;
        for (var i = 0; i < certificates.Count; i++)
        {
            var match = Matches(certificates[i].Certificate, pem);
            if (match == true)
            {
                return i;
            }

            checkedAny |= match.HasValue;
        }

        return checkedAny ? -1 : 0;
    }

    /// <returns>Whether the key matches; <see langword="null"/> when this kind of key cannot be checked.</returns>
    private static bool? Matches(X509Certificate2 certificate, string keyPem)
    {
        try
        {
            using AsymmetricAlgorithm? algorithm = certificate.GetKeyAlgorithm() switch
            {
                "1.2.840.113549.1.1.1" => RSA.Create(),
                "1.2.840.10045.2.1" => ECDsa.Create(),
                _ => null,
            };
            if (algorithm is null)
            {
                return null;
            }

            algorithm.ImportFromPem(keyPem);
            using var withKey = algorithm switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                _ => null,
            };
            return withKey is not null;
        }
        catch (ArgumentException)
        {
            // The key is of another algorithm than the certificate, or ImportFromPem found another label.
            return false;
        }
        catch (CryptographicException)
        {
            // CopyWithPrivateKey refuses a key whose public half differs from the certificate's.
            return false;
        }
    }
}
