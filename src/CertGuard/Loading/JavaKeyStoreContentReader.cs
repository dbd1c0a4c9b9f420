using Org.BouncyCastle.Security;

namespace CertGuard.Loading;

/// <summary>Reads Java keystores (JKS) through BouncyCastle.</summary>
internal static class JavaKeyStoreContentReader
{
    public static CertificateLoadResult Read(byte[] data, string location, CertificateLoadOptions options)
    {
        if (JavaKeyStoreStructure.Check(data) is { } layoutProblem)
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, $"not a valid Java keystore ({layoutProblem})");
        }

        var store = new JksStore();
        try
        {
            if (!Open(store, data, options.Passwords))
            {
                return CertificateLoadResult.Failed(location, LoadErrorReason.WrongPassword,
                    $"none of the {options.Passwords.Count} given password(s) passes the keystore's integrity check");
            }
        }
        catch (Exception ex) when (BouncyCastleFailure.IsParseFailure(ex))
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, $"not a valid Java keystore ({BouncyCastleFailure.Describe(ex)})");
        }

        var certificates = new List<LoadedCertificate>();
        var errors = new List<LoadError>();
        foreach (var alias in store.Aliases.OrderBy(a => a, StringComparer.Ordinal))
        {
            var isKey = store.IsKeyEntry(alias);
            var chain = isKey ? store.GetCertificateChain(alias) : [store.GetCertificate(alias)];
            if (chain is null || chain.Length == 0 || chain[0] is null)
            {
                continue;
            }

            var entryCertificates = new List<LoadedCertificate>(chain.Length);
            foreach (var member in chain)
            {
                var certificate = DerCertificateDecoder.TryDecode(member.GetEncoded(), out var problem);
                if (certificate is null)
                {
                    errors.Add(new LoadError($"{location}#{alias}", LoadErrorReason.Corrupt, problem!));
                    continue;
                }

                // Keystore key entries are always encrypted with a key password.
                var protection = isKey && entryCertificates.Count == 0 ? PrivateKeyProtection.Encrypted : PrivateKeyProtection.Absent;
                entryCertificates.Add(new LoadedCertificate(certificate, location, CertificateFormat.JavaKeyStore)
                {
                    Entry = entryCertificates.Count == 0 ? alias : $"{alias}#{entryCertificates.Count + 1}",
                    PrivateKeyProtection = protection,
                });
            }

            certificates.AddRange(BundleChain.Attach(entryCertificates));
        }

        if (certificates.Count == 0 && errors.Count == 0)
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.NoCertificate, "the keystore holds no certificate");
        }

        return new CertificateLoadResult(certificates, errors);
    }

    /// <returns>Whether the store opened; false when passwords were given and none passed the integrity check.</returns>
    private static bool Open(JksStore store, byte[] data, IReadOnlyList<string> passwords)
    {
        if (passwords.Count == 0)
        {
            // Certificates in a keystore are not secret: without a password, read them unchecked.
            store.LoadUnchecked(new MemoryStream(data, writable: false));
            return true;
        }

        foreach (var password in passwords)
        {
            try
            {
                store.Load(new MemoryStream(data, writable: false), password.ToCharArray());
                return true;
            }
            catch (IOException ex) when (ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
                || ex.Message.Contains("tampered", StringComparison.OrdinalIgnoreCase))
            {
                // Next candidate.
            }
        }

        return false;
    }
}
