using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;

namespace CertGuard.Inspection;

/// <summary>Names signature algorithms the way OpenSSL does, and tells which hash each uses.</summary>
internal static class SignatureAlgorithms
{
    private static readonly Dictionary<string, (string Name, string? Hash)> Known = new()
    {
        ["1.2.840.113549.1.1.2"] = ("md2WithRSAEncryption", "md2"),
        ["1.2.840.113549.1.1.3"] = ("md4WithRSAEncryption", "md4"),
        ["1.2.840.113549.1.1.4"] = ("md5WithRSAEncryption", "md5"),
        ["1.2.840.113549.1.1.5"] = ("sha1WithRSAEncryption", "sha1"),
        ["1.3.14.3.2.29"] = ("sha1WithRSA", "sha1"),
        ["1.2.840.113549.1.1.14"] = ("sha224WithRSAEncryption", "sha224"),
        ["1.2.840.113549.1.1.11"] = ("sha256WithRSAEncryption", "sha256"),
        ["1.2.840.113549.1.1.12"] = ("sha384WithRSAEncryption", "sha384"),
        ["1.2.840.113549.1.1.13"] = ("sha512WithRSAEncryption", "sha512"),
        ["1.2.840.10045.4.1"] = ("ecdsa-with-SHA1", "sha1"),
        ["1.2.840.10045.4.3.1"] = ("ecdsa-with-SHA224", "sha224"),
        ["1.2.840.10045.4.3.2"] = ("ecdsa-with-SHA256", "sha256"),
        ["1.2.840.10045.4.3.3"] = ("ecdsa-with-SHA384", "sha384"),
        ["1.2.840.10045.4.3.4"] = ("ecdsa-with-SHA512", "sha512"),
        ["1.2.840.10040.4.3"] = ("dsaWithSHA1", "sha1"),
        ["2.16.840.1.101.3.4.3.1"] = ("dsa_with_SHA224", "sha224"),
        ["2.16.840.1.101.3.4.3.2"] = ("dsa_with_SHA256", "sha256"),
        ["2.16.840.1.101.3.4.3.9"] = ("ecdsa_with_SHA3-224", "sha3-224"),
        ["2.16.840.1.101.3.4.3.10"] = ("ecdsa_with_SHA3-256", "sha3-256"),
        ["2.16.840.1.101.3.4.3.11"] = ("ecdsa_with_SHA3-384", "sha3-384"),
        ["2.16.840.1.101.3.4.3.12"] = ("ecdsa_with_SHA3-512", "sha3-512"),
        ["2.16.840.1.101.3.4.3.13"] = ("RSA-SHA3-224", "sha3-224"),
        ["2.16.840.1.101.3.4.3.14"] = ("RSA-SHA3-256", "sha3-256"),
        ["2.16.840.1.101.3.4.3.15"] = ("RSA-SHA3-384", "sha3-384"),
        ["2.16.840.1.101.3.4.3.16"] = ("RSA-SHA3-512", "sha3-512"),
        ["1.3.101.112"] = ("ED25519", null),
        ["1.3.101.113"] = ("ED448", null),
        ["2.16.840.1.101.3.4.3.17"] = ("ML-DSA-44", null),
        ["2.16.840.1.101.3.4.3.18"] = ("ML-DSA-65", null),
        ["2.16.840.1.101.3.4.3.19"] = ("ML-DSA-87", null),
    };

    private static readonly Dictionary<string, string> DigestNames = new()
    {
        ["1.3.14.3.2.26"] = "sha1",
        ["2.16.840.1.101.3.4.2.4"] = "sha224",
        ["2.16.840.1.101.3.4.2.1"] = "sha256",
        ["2.16.840.1.101.3.4.2.2"] = "sha384",
        ["2.16.840.1.101.3.4.2.3"] = "sha512",
        ["1.2.840.113549.2.5"] = "md5",
    };

    public static (string Name, string? Hash) Describe(string oid, Asn1Encodable? parameters)
    {
        if (oid == PkcsObjectIdentifiers.IdRsassaPss.Id)
        {
            return ("rsassaPss", PssHash(parameters));
        }

        return Known.TryGetValue(oid, out var known) ? known : (oid, null);
    }

    /// <summary>The hash named by RSASSA-PSS parameters; RFC 4055 makes SHA-1 the default when absent.</summary>
    private static string? PssHash(Asn1Encodable? parameters)
    {
        try
        {
            if (parameters is null || parameters is Asn1Null)
            {
                return "sha1";
            }

            var pss = RsassaPssParameters.GetInstance(parameters);
            var digest = pss.HashAlgorithm.Algorithm.Id;
            return DigestNames.TryGetValue(digest, out var name) ? name : digest;
        }
        catch (Exception ex) when (Loading.BouncyCastleFailure.IsParseFailure(ex))
        {
            // Malformed parameters: the hash is unknown, which is a fact, not a failure of inspection.
            return null;
        }
    }
}
