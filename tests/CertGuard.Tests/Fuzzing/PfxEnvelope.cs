using System.Formats.Asn1;
using System.Numerics;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// The outer layer of a PFX (RFC 7292): version, the AuthenticatedSafe's bytes and the MAC parameters. Lets a fuzzer
/// replace the AuthenticatedSafe and seal it again with a valid MAC under a known password (the PKCS#12 KDF, ID 3,
/// with the MAC's own digest, salt and iteration count), so mutated inputs get past the MAC to the parsers behind it.
/// </summary>
internal sealed record PfxEnvelope(BigInteger Version, byte[] AuthenticatedSafe, PfxMac? Mac)
{
    private const string DataOid = "1.2.840.113549.1.7.1";

    public static PfxEnvelope Decode(byte[] pfx)
    {
        var outer = new AsnReader(pfx, AsnEncodingRules.BER).ReadSequence();
        var version = outer.ReadInteger();
        var authSafe = outer.ReadSequence();
        var contentType = authSafe.ReadObjectIdentifier();
        if (contentType != DataOid)
        {
            throw new NotSupportedException($"an authSafe of type {contentType} (public-key integrity) cannot be re-sealed");
        }

        var content = authSafe.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadOctetString();
        PfxMac? mac = null;
        if (outer.HasData)
        {
            var macData = outer.ReadSequence();
            var digestInfo = macData.ReadSequence();
            var algorithm = digestInfo.ReadEncodedValue().ToArray();
            var digestOid = new AsnReader(algorithm, AsnEncodingRules.BER).ReadSequence().ReadObjectIdentifier();
            var salt = macData.ReadOctetString();
            var iterations = macData.HasData ? (int)macData.ReadInteger() : 1;
            mac = new PfxMac(digestOid, algorithm, salt, iterations);
        }

        return new PfxEnvelope(version, content, mac);
    }

    /// <summary>A PFX holding <paramref name="authenticatedSafe"/>, with a MAC computed for it when this envelope had one.</summary>
    /// <param name="password"><see langword="null"/> for a MAC over the NULL password (no bytes at all, not even the terminator).</param>
    public byte[] Seal(byte[] authenticatedSafe, string? password)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(Version);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(DataOid);
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    writer.WriteOctetString(authenticatedSafe);
                }
            }

            if (Mac is { } mac)
            {
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteEncodedValue(mac.DigestAlgorithm);

                        writer.WriteOctetString(mac.Compute(authenticatedSafe, password));
                    }

                    writer.WriteOctetString(mac.Salt);
                    writer.WriteInteger(mac.Iterations);
                }
            }
        }

        return writer.Encode();
    }
}

/// <summary>A PFX's MAC parameters (the digest's AlgorithmIdentifier kept as written): HMAC keyed by the PKCS#12 KDF (RFC 7292 appendix B, ID 3).</summary>
internal sealed record PfxMac(string DigestOid, byte[] DigestAlgorithm, byte[] Salt, int Iterations)
{
    public byte[] Compute(byte[] data, string? password)
    {
        var oid = new DerObjectIdentifier(DigestOid);
        var digest = DigestUtilities.GetDigest(oid);
        var generator = new Pkcs12ParametersGenerator(digest);
        generator.Init(PasswordBytes(password), Salt, Iterations);
        var key = (KeyParameter)generator.GenerateDerivedMacParameters(digest.GetDigestSize() * 8);
        var hmac = new HMac(DigestUtilities.GetDigest(oid));
        hmac.Init(key);
        hmac.BlockUpdate(data, 0, data.Length);
        var result = new byte[hmac.GetMacSize()];
        hmac.DoFinal(result, 0);
        return result;
    }

    /// <summary>BMPString with a two-byte terminator (RFC 7292 B.1); the NULL password is no bytes at all.</summary>
    private static byte[] PasswordBytes(string? password) =>
        password is null ? [] : [.. Encoding.BigEndianUnicode.GetBytes(password), 0, 0];
}
