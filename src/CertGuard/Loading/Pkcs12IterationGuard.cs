using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace CertGuard.Loading;

/// <summary>
/// Refuses PKCS#12 archives whose key-derivation iteration counts would pin a CPU: the platform's loader enforces
/// <see cref="Pkcs12LoaderLimits"/>, but BouncyCastle (the fallback for legacy archives) runs whatever count the file
/// asks for, and a hostile file can ask for billions. Every count is checked against the platform's own per-KDF limit,
/// and the encryption counts together against its total: without a password, the visible ones (MAC, encrypted
/// contents, shrouded keys in plain contents); with one, before BouncyCastle reads the archive, also the shrouded keys
/// inside encrypted contents, which only decryption reveals.
/// </summary>
internal static class Pkcs12IterationGuard
{
    public static readonly int Limit = Pkcs12LoaderLimits.Defaults.IndividualKdfIterationLimit ?? 300_000;
    public static readonly int TotalLimit = Pkcs12LoaderLimits.Defaults.TotalKdfIterationLimit ?? 1_000_000;

    /// <returns>Why the archive is refused, or <see langword="null"/> when every visible count is within the limits.</returns>
    public static string? Check(Pfx pfx) => Check(pfx, password: null);

    /// <param name="pfx">The archive.</param>
    /// <param name="password">The password BouncyCastle is about to use; <see langword="null"/> to check only what is visible without one.</param>
    /// <returns>Why the archive is refused, or <see langword="null"/> when every count found is within the limits.</returns>
    public static string? Check(Pfx pfx, char[]? password)
    {
        if (pfx.MacData is { } mac && Exceeds(mac.IterationCount))
        {
            return Describe("MAC", mac.IterationCount);
        }

        var total = BigInteger.Zero;
        var content = Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets();
        foreach (var info in AuthenticatedSafe.GetInstance(content).GetContentInfo())
        {
            Asn1Sequence? bags = null;
            if (info.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData))
            {
                var encrypted = EncryptedData.GetInstance(info.Content);
                var count = Iterations(encrypted.EncryptionAlgorithm);
                if (Exceeds(count))
                {
                    return Describe("encrypted contents", count);
                }

                total = total.Add(count);
                bags = password is null ? null : Decrypt(encrypted, password);
            }
            else if (info.ContentType.Equals(PkcsObjectIdentifiers.Data))
            {
                bags = Asn1Sequence.GetInstance(Asn1OctetString.GetInstance(info.Content).GetOctets());
            }

            foreach (var element in (IEnumerable<Asn1Encodable>?)bags ?? [])
            {
                if (ShroudedKeyIterations(element) is { } count)
                {
                    if (Exceeds(count))
                    {
                        return Describe("private key", count);
                    }

                    total = total.Add(count);
                }
            }
        }

        return total.CompareTo(BigInteger.ValueOf(TotalLimit)) > 0
            ? $"its encryption asks for {total} key-derivation iterations in all, over the limit of {TotalLimit}"
            : null;
    }

    private static BigInteger? ShroudedKeyIterations(Asn1Encodable element)
    {
        var bag = SafeBag.GetInstance(element);
        return bag.BagID.Equals(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag)
            ? Iterations(EncryptedPrivateKeyInfo.GetInstance(bag.BagValue).EncryptionAlgorithm)
            : null;
    }

    private static bool Exceeds(BigInteger count) => count.CompareTo(BigInteger.ValueOf(Limit)) > 0 || count.SignValue < 1;

    private static string Describe(string what, BigInteger count) => count.SignValue < 1
        ? $"its {what} asks for {count} key-derivation iterations, which is invalid (the count must be at least 1)"
        : $"its {what} asks for {count} key-derivation iterations, over the limit of {Limit}";

    private static BigInteger Iterations(AlgorithmIdentifier algorithm)
    {
        if (algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2))
        {
            // Whatever the KDF's identifier says: BouncyCastle reads the parameters as PBKDF2's and runs them.
            return Pbkdf2Params.GetInstance(PbeS2Parameters.GetInstance(algorithm.Parameters).KeyDerivationFunc.Parameters).IterationCount;
        }

        return Pkcs12PbeParams.GetInstance(algorithm.Parameters).Iterations;
    }

    /// <summary>
    /// The bags inside encrypted contents whose own count passed, or <see langword="null"/> when they do not decrypt
    /// to bags (a wrong password, an unknown cipher): then there is nothing behind them that BouncyCastle could reach.
    /// </summary>
    private static Asn1Sequence? Decrypt(EncryptedData encrypted, char[] password)
    {
        try
        {
            if (PbeUtilities.CreateEngine(encrypted.EncryptionAlgorithm) is not IBufferedCipher cipher)
            {
                return null;
            }

            cipher.Init(false, PbeUtilities.GenerateCipherParameters(encrypted.EncryptionAlgorithm, password));
            return Asn1Sequence.GetInstance(cipher.DoFinal(encrypted.Content.GetOctets()));
        }
        catch (Exception ex) when (BouncyCastleFailure.IsParseFailure(ex))
        {
            return null;
        }
    }
}
