using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace CertGuard.Inspection;

/// <summary>
/// Reads the algorithm, size and curve of a public key with BouncyCastle's managed parser, which also
/// understands keys the platform cannot load (explicit curve parameters, DSA, EdDSA, unknown algorithms).
/// </summary>
internal static class PublicKeyReader
{
    public static (string Algorithm, int? Size, string? Curve) Read(SubjectPublicKeyInfo info)
    {
        var oid = info.Algorithm.Algorithm.Id;
        var name = AlgorithmName(oid);
        AsymmetricKeyParameter key;
        try
        {
            key = PublicKeyFactory.CreateKey(info);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Post-quantum and national algorithms BouncyCastle cannot decode: name them, size unknown.
            return (name, null, null);
        }

        return key switch
        {
            RsaKeyParameters rsa => (name, rsa.Modulus.BitLength, null),
            ECPublicKeyParameters ec => (name, ec.Parameters.Curve.FieldSize, CurveName(ec)),
            DsaPublicKeyParameters dsa => (name, dsa.Parameters?.P.BitLength, null),
            Ed25519PublicKeyParameters => (name, 256, null),
            Ed448PublicKeyParameters => (name, 456, null),
            X25519PublicKeyParameters => (name, 256, null),
            X448PublicKeyParameters => (name, 448, null),
            _ => (name, null, null),
        };
    }

    private static string AlgorithmName(string oid) => oid switch
    {
        "1.2.840.113549.1.1.1" => "RSA",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.10045.2.1" => "ECDSA",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.3.101.110" => "X25519",
        "1.3.101.111" => "X448",
        "1.2.840.10040.4.1" => "DSA",
        "2.16.840.1.101.3.4.3.17" => "ML-DSA-44",
        "2.16.840.1.101.3.4.3.18" => "ML-DSA-65",
        "2.16.840.1.101.3.4.3.19" => "ML-DSA-87",
        "2.16.840.1.101.3.4.4.1" => "ML-KEM-512",
        "2.16.840.1.101.3.4.4.2" => "ML-KEM-768",
        "2.16.840.1.101.3.4.4.3" => "ML-KEM-1024",
        _ => oid,
    };

    private static string? CurveName(ECPublicKeyParameters key)
    {
        var oid = key.PublicKeyParamSet;
        if (oid is null)
        {
            return "explicit";
        }

        return NistNamedCurves.GetName(oid) ?? ECNamedCurveTable.GetName(oid) ?? oid.Id;
    }
}
