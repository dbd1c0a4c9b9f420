using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace CertGuard.Loading;

/// <summary>
/// Refuses PKCS#12 archives whose key-derivation iteration counts would pin a CPU: the platform's loader enforces
/// <see cref="Pkcs12LoaderLimits"/>, but BouncyCastle (the fallback for legacy archives) runs whatever count the file
/// asks for, and a hostile file can ask for billions. The visible counts (MAC, encrypted contents, shrouded keys in
/// plain contents) are checked against the platform's own per-KDF limit.
/// </summary>
internal static class Pkcs12IterationGuard
{
    public static readonly int Limit = Pkcs12LoaderLimits.Defaults.IndividualKdfIterationLimit ?? 600_000;

    /// <returns>Why the archive is refused, or <see langword="null"/> when every visible count is within the limit.</returns>
    public static string? Check(Pfx pfx)
    {
        if (pfx.MacData is { } mac && Exceeds(mac.IterationCount.IntValueExact))
        {
            return Describe("MAC", mac.IterationCount.ToString());
        }

        var content = Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets();
        foreach (var info in AuthenticatedSafe.GetInstance(content).GetContentInfo())
        {
            if (info.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData))
            {
                var algorithm = EncryptedData.GetInstance(info.Content).EncryptionAlgorithm;
                if (Iterations(algorithm) is { } count && Exceeds(count))
                {
                    return Describe("encrypted contents", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else if (info.ContentType.Equals(PkcsObjectIdentifiers.Data))
            {
                var bags = Asn1Sequence.GetInstance(Asn1OctetString.GetInstance(info.Content).GetOctets());
                foreach (var element in bags)
                {
                    var bag = SafeBag.GetInstance(element);
                    if (bag.BagID.Equals(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag)
                        && Iterations(EncryptedPrivateKeyInfo.GetInstance(bag.BagValue).EncryptionAlgorithm) is { } count && Exceeds(count))
                    {
                        return Describe("private key", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        return null;
    }

    private static bool Exceeds(long count) => count > Limit || count < 1;

    private static string Describe(string what, string count) =>
        $"its {what} asks for {count} key-derivation iterations, over the limit of {Limit}";

    private static long? Iterations(AlgorithmIdentifier algorithm)
    {
        if (algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2))
        {
            var derivation = PbeS2Parameters.GetInstance(algorithm.Parameters).KeyDerivationFunc;
            return derivation.Algorithm.Equals(PkcsObjectIdentifiers.IdPbkdf2)
                ? Pbkdf2Params.GetInstance(derivation.Parameters).IterationCount.LongValueExact
                : null;
        }

        return Pkcs12PbeParams.GetInstance(algorithm.Parameters).Iterations.LongValueExact;
    }
}
