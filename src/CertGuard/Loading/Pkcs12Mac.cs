using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace CertGuard.Loading;

/// <summary>
/// The password-based MAC of a PKCS#12 archive (RFC 7292, appendix B), checked on its own: one key derivation tells
/// whether a candidate password is the archive's, before any decryption path derives keys from it.
/// </summary>
internal sealed class Pkcs12Mac
{
    private readonly DerObjectIdentifier _digest;
    private readonly byte[] _salt;
    private readonly byte[] _expected;
    private readonly byte[] _content;

    private Pkcs12Mac(DerObjectIdentifier digest, byte[] salt, int iterations, byte[] expected, byte[] content)
    {
        _digest = digest;
        _salt = salt;
        Iterations = iterations;
        _expected = expected;
        _content = content;
    }

    /// <summary>The key-derivation iterations one check costs.</summary>
    public int Iterations { get; }

    /// <summary>
    /// Reads the MAC of <paramref name="pfx"/>: null when the archive has none or uses one this class does not compute
    /// (PBMAC1), so the caller falls back to the loaders; a problem when its iteration count is invalid or too high.
    /// </summary>
    public static Pkcs12Mac? Read(Pfx pfx, out string? problem)
    {
        problem = null;
        if (pfx.MacData is not { } macData || !pfx.AuthSafe.ContentType.Equals(PkcsObjectIdentifiers.Data))
        {
            return null;
        }

        var count = macData.IterationCount;
        if (count.SignValue < 1)
        {
            problem = $"its MAC asks for {count} key-derivation iterations, which is invalid (the count must be at least 1)";
            return null;
        }

        if (count.BitLength > 31 || count.IntValue > Pkcs12IterationGuard.Limit)
        {
            problem = $"its MAC asks for {count} key-derivation iterations, over the limit of {Pkcs12IterationGuard.Limit}";
            return null;
        }

        var digest = macData.Mac.DigestAlgorithm.Algorithm;
        if (!IsKnownDigest(digest))
        {
            return null;
        }

        var content = Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets();
        return new Pkcs12Mac(digest, macData.GetSalt(), count.IntValue, macData.Mac.Digest.GetOctets(), content);
    }

    /// <summary>Whether <paramref name="password"/> opens the MAC. Null and empty passwords are tried in both encodings in use.</summary>
    public bool Opens(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            // An empty password is encoded as two zero bytes by the standard and as no bytes by some producers.
            return Matches(PbeParametersGenerator.Pkcs12PasswordToBytes([], wrongPkcs12Zero: false))
                || Matches(PbeParametersGenerator.Pkcs12PasswordToBytes([], wrongPkcs12Zero: true));
        }

        return Matches(PbeParametersGenerator.Pkcs12PasswordToBytes(password.ToCharArray()));
    }

    private static bool IsKnownDigest(DerObjectIdentifier digest)
    {
        try
        {
            return DigestUtilities.GetDigest(digest) is not null;
        }
        catch (SecurityUtilityException)
        {
            return false;
        }
    }

    private bool Matches(byte[] passwordBytes)
    {
        var digest = DigestUtilities.GetDigest(_digest);
        var generator = new Pkcs12ParametersGenerator(digest);
        generator.Init(passwordBytes, _salt, Iterations);
        var key = (KeyParameter)generator.GenerateDerivedMacParameters(digest.GetDigestSize() * 8);
        var hmac = new HMac(digest);
        hmac.Init(key);
        hmac.BlockUpdate(_content, 0, _content.Length);
        var actual = new byte[hmac.GetMacSize()];
        hmac.DoFinal(actual, 0);
        return CryptographicOperations.FixedTimeEquals(actual, _expected);
    }
}
