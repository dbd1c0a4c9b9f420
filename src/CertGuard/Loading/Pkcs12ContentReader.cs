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

    public static CertificateLoadResult Read(byte[] data, string location, CertificateLoadOptions options, CancellationToken cancellationToken = default)
    {
        // The caller's passwords first; then no password (null and empty are one candidate: both encodings are tried).
        var candidates = options.Passwords.Select(p => (Password: (string?)p, Given: true))
            .Append((null, false)).ToList();
        var budget = new Pkcs12WorkBudget(Pkcs12WorkBudget.DefaultLimit);

        var pfx = TryParse(data);
        Pkcs12Mac? mac = null;
        if (pfx is not null)
        {
            // Counts anyone can see are judged before any derivation, so a hostile count is named as such, not as a wrong password.
            mac = Pkcs12Mac.Read(pfx, out var problem);
            if ((problem ?? VisibleRefusal(pfx)) is { } refusal)
            {
                return Refused(location, refusal);
            }
        }

        if (mac is not null)
        {
            return ReadWithMac(data, pfx!, mac, candidates, location, options, budget, cancellationToken);
        }

        // No MAC this reader computes (none at all, PBMAC1, or an archive only the platform parses): the loaders decide.
        return ReadByLoaders(data, pfx, candidates, location, options, budget, cancellationToken);
    }

    /// <summary>
    /// Finds the password by the MAC alone (one derivation per candidate, cancellable between candidates, within the
    /// budget), then opens the archive with that password only: the platform first, BouncyCastle for legacy ciphers.
    /// </summary>
    private static CertificateLoadResult ReadWithMac(byte[] data, Pfx pfx, Pkcs12Mac mac, List<(string? Password, bool Given)> candidates, string location, CertificateLoadOptions options, Pkcs12WorkBudget budget, CancellationToken cancellationToken)
    {
        // Room is kept for opening the archive once the password is found.
        var opening = mac.Iterations + (long)Pkcs12IterationGuard.TotalLimit;
        var checkingLimit = Math.Max(mac.Iterations, budget.Limit - (2 * opening));
        var checking = 0L;
        (string? Password, bool Given)? match = null;
        var tried = 0;
        foreach (var candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cost = string.IsNullOrEmpty(candidate.Password) ? 2L * mac.Iterations : mac.Iterations;
            checking += cost;
            if (checking > checkingLimit || !budget.TrySpend(cost))
            {
                return CertificateLoadResult.Failed(location, LoadErrorReason.WrongPassword,
                    $"none of the first {tried} of {candidates.Count} password candidate(s) opens the PKCS#12 archive; the rest were not tried, since each costs {mac.Iterations} key-derivation iterations and one file may cost at most {budget.Limit}");
            }

            tried++;
            if (mac.Opens(candidate.Password))
            {
                match = candidate;
                break;
            }
        }

        if (match is not { } found)
        {
            return options.Passwords.Count == 0
                ? CertificateLoadResult.Failed(location, LoadErrorReason.PasswordRequired, "the PKCS#12 archive is password protected and no password was given")
                : CertificateLoadResult.Failed(location, LoadErrorReason.WrongPassword, $"none of the {options.Passwords.Count} given password(s) opens the PKCS#12 archive");
        }

        cancellationToken.ThrowIfCancellationRequested();
        budget.TrySpend(opening);
        if (TryPlatform(data, found.Password) is { } platform)
        {
            return Build(platform, location, Protection(found.Password, found.Given));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!budget.TrySpend(opening))
        {
            return Refused(location, $"opening it would cost more than the {budget.Limit} key-derivation iterations one file may cost");
        }

        // The MAC opened: whatever fails now is the content, never the password. BouncyCastle takes the empty password
        // as "" (it tries both encodings of it itself); null would make it ask for a password.
        return ReadByBouncyCastle(data, pfx, [(found.Password ?? string.Empty, found.Given)], location, options, cancellationToken);
    }

    /// <summary>The path for archives without a MAC this reader checks: every candidate through the platform, then BouncyCastle.</summary>
    private static CertificateLoadResult ReadByLoaders(byte[] data, Pfx? pfx, List<(string? Password, bool Given)> candidates, string location, CertificateLoadOptions options, Pkcs12WorkBudget budget, CancellationToken cancellationToken)
    {
        // The platform treats null as both empty encodings; an empty string is tried as well, as before.
        var attempts = candidates.Append((string.Empty, false)).ToList();
        foreach (var (password, given) in attempts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!budget.TrySpend(Pkcs12IterationGuard.TotalLimit))
            {
                return Refused(location, $"trying its {attempts.Count} password candidate(s) would cost more than the {budget.Limit} key-derivation iterations one file may cost");
            }

            if (TryPlatform(data, password) is { } platform)
            {
                return Build(platform, location, Protection(password, given));
            }
        }

        if (pfx is null)
        {
            return CertificateLoadResult.Failed(location, LoadErrorReason.Corrupt, "not a valid PKCS#12 archive");
        }

        return ReadByBouncyCastle(data, pfx, attempts, location, options, cancellationToken, budget);
    }

    private static string? VisibleRefusal(Pfx pfx)
    {
        try
        {
            return Pkcs12IterationGuard.Check(pfx);
        }
        catch (Exception ex) when (BouncyCastleFailure.IsParseFailure(ex))
        {
            // Not for this check to judge: the loaders report a structure they cannot read.
            return null;
        }
    }

    private static Pfx? TryParse(byte[] data)
    {
        try
        {
            // Strict: BouncyCastle reads the same bytes in the fallback, so only an archive it parses may reach it.
            return Pfx.GetInstance(Asn1Object.FromByteArray(data));
        }
        catch (Exception ex) when (BouncyCastleFailure.IsParseFailure(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// BouncyCastle, whose managed ciphers open legacy archives (RC2-40) that OpenSSL 3 no longer reads. Only the
    /// fallback needs the iteration guard: the platform enforces its own key-derivation limits.
    /// </summary>
    private static CertificateLoadResult ReadByBouncyCastle(byte[] data, Pfx pfx, List<(string? Password, bool Given)> candidates, string location, CertificateLoadOptions options, CancellationToken cancellationToken, Pkcs12WorkBudget? budget = null)
    {
        if (Pkcs12IterationGuard.Check(pfx) is { } excessive)
        {
            return Refused(location, excessive);
        }

        var wrongPassword = false;
        string? problem = null;
        foreach (var (password, given) in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (budget is not null && !budget.TrySpend(Pkcs12IterationGuard.TotalLimit))
            {
                return Refused(location, $"trying its {candidates.Count} password candidate(s) would cost more than the {budget.Limit} key-derivation iterations one file may cost");
            }

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
