using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Pkcs;

namespace CertGuard.Loading;

/// <summary>
/// Reads PKCS#12 (PFX) archives: with the platform first, then with BouncyCastle, whose managed ciphers
/// open legacy archives (RC2-40) that OpenSSL 3 no longer reads by default.
/// </summary>
internal static class Pkcs12ContentReader
{
    private static readonly X509KeyStorageFlags KeyStorage =
        OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;

    public static CertificateLoadResult Read(byte[] data, string location, CertificateLoadOptions options)
    {
        // The caller's passwords first; then no password and the empty one, which unprotected archives use.
        var candidates = options.Passwords.Select(p => (Password: (string?)p, Given: true))
            .Append((null, false)).Append((string.Empty, false)).ToList();

        foreach (var (password, given) in candidates)
        {
            var platform = TryPlatform(data, password);
            if (platform is not null)
            {
                return Build(platform, location, Protection(password, given));
            }
        }

        // Only the fallback needs the guard: the platform enforces its own key-derivation limits, and BouncyCastle's
        // stricter parse must not refuse an archive the platform reads.
        Pfx pfx;
        try
        {
            pfx = Pfx.GetInstance(Asn1Object.FromByteArray(data));
            if (Pkcs12IterationGuard.Check(pfx) is { } excessive)
            {
                return Refused(location, excessive);
            }
        }
        catch (Exception ex) when (BouncyCastleFailure.IsParseFailure(ex))
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, $"not a valid PKCS#12 archive ({BouncyCastleFailure.Describe(ex)})");
        }

        var wrongPassword = false;
        string? problem = null;
        foreach (var (password, given) in candidates)
        {
            try
            {
                if (password is not null && Pkcs12IterationGuard.Check(pfx, password.ToCharArray()) is { } hidden)
                {
                    return Refused(location, hidden);
                }

                var store = new Pkcs12StoreBuilder().Build();
                store.Load(new MemoryStream(data, writable: false), password?.ToCharArray());
                return FromBouncyCastle(store, location, Protection(password, given));
            }
            catch (IOException ex) when (ex.Message.Contains("MAC invalid", StringComparison.OrdinalIgnoreCase)
                || ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
            {
                wrongPassword = true;
            }
            catch (ArgumentNullException) when (password is null)
            {
                // "no password supplied when one expected": the archive has a MAC.
                wrongPassword = true;
            }
            catch (Exception ex) when (BouncyCastleFailure.IsParseFailure(ex))
            {
                problem ??= BouncyCastleFailure.Describe(ex);
            }
        }

        // A failure other than the MAC's means some password opened the MAC (or there is none): the contents are
        // broken, and blaming the password would send the user after the wrong fault.
        if (wrongPassword && problem is null)
        {
            return options.Passwords.Count == 0
                ? CertificateLoadResult.Failed(location, LoadErrorReason.PasswordRequired, "the PKCS#12 archive is password protected and no password was given")
                : CertificateLoadResult.Failed(location, LoadErrorReason.WrongPassword, $"none of the {options.Passwords.Count} given password(s) opens the PKCS#12 archive");
        }

        return CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, $"the PKCS#12 archive cannot be read ({problem ?? "unknown reason"})");
    }

    private static CertificateLoadResult Refused(string location, string reason) =>
        CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, $"the PKCS#12 archive is refused: {reason}");

    private static PrivateKeyProtection Protection(string? password, bool given) =>
        given && !string.IsNullOrEmpty(password) ? PrivateKeyProtection.Encrypted : PrivateKeyProtection.Unencrypted;

    private static X509Certificate2Collection? TryPlatform(byte[] data, string? password)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12Collection(data, password, KeyStorage);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static CertificateLoadResult Build(X509Certificate2Collection collection, string location, PrivateKeyProtection protection)
    {
        if (collection.Count == 0)
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.NoCertificate, "the PKCS#12 archive holds no certificate");
        }

        var certificates = new List<LoadedCertificate>(collection.Count);
        var errors = new List<LoadError>();
        for (var i = 0; i < collection.Count; i++)
        {
            var certificate = collection[i];
            var entry = collection.Count > 1 ? EntryName(certificate.FriendlyName, i) : null;

            // The platform parses some fields lazily, as it does for DER: unreadable ones are a load error here, not a throw in inspection.
            if (DerCertificateDecoder.UnreadableField(certificate) is { } problem)
            {
                errors.Add(new LoadError(entry is null ? location : $"{location}#{entry}", LoadErrorReason.Corrupt, problem));
                certificate.Dispose();
                continue;
            }

            certificates.Add(new LoadedCertificate(certificate, location, CertificateFormat.Pkcs12)
            {
                Entry = entry,
                PrivateKeyProtection = certificate.HasPrivateKey ? protection : PrivateKeyProtection.Absent,
            });
        }

        var leaf = certificates.FindIndex(c => c.HasPrivateKey);
        return new CertificateLoadResult(BundleChain.Attach(certificates, Math.Max(leaf, 0)), errors);
    }

    private static CertificateLoadResult FromBouncyCastle(Pkcs12Store store, string location, PrivateKeyProtection protection)
    {
        var certificates = new List<LoadedCertificate>();
        var errors = new List<LoadError>();
        var aliases = store.Aliases.ToList();
        foreach (var alias in aliases)
        {
            var entry = store.GetCertificate(alias);
            if (entry is null)
            {
                continue;
            }

            var certificate = DerCertificateDecoder.TryDecode(entry.Certificate.GetEncoded(), out var problem);
            if (certificate is null)
            {
                errors.Add(new LoadError($"{location}#{alias}", LoadErrorReason.Corrupt, problem!));
                continue;
            }

            certificates.Add(new LoadedCertificate(certificate, location, CertificateFormat.Pkcs12)
            {
                Entry = aliases.Count > 1 ? alias : null,
                PrivateKeyProtection = store.IsKeyEntry(alias) ? protection : PrivateKeyProtection.Absent,
            });
        }

        if (certificates.Count == 0 && errors.Count == 0)
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.NoCertificate, "the PKCS#12 archive holds no certificate");
        }

        var leaf = certificates.FindIndex(c => c.HasPrivateKey);
        return new CertificateLoadResult(BundleChain.Attach(certificates, Math.Max(leaf, 0)), errors);
    }

    private static string EntryName(string friendlyName, int index) =>
        string.IsNullOrWhiteSpace(friendlyName) ? $"{index + 1}" : friendlyName;
}
