using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace CertGuard.Inspection;

/// <summary>
/// Reads the algorithm, size and curve of a public key from its SubjectPublicKeyInfo structure. It deliberately does
/// not build key objects: BouncyCastle's key factory validates keys (point checks, modulus tests) at ~50 ms a key,
/// and the platform cannot load explicit curves, DSA or EdDSA keys at all. Only sizes and names are needed here.
/// </summary>
internal static class PublicKeyReader
{
    private static readonly Dictionary<string, int> NamedCurveSizes = new()
    {
        ["P-192"] = 192, ["P-224"] = 224, ["P-256"] = 256, ["P-384"] = 384, ["P-521"] = 521,
    };

    public static (string Algorithm, int? Size, string? Curve) Read(SubjectPublicKeyInfo info)
    {
        var oid = info.Algorithm.Algorithm.Id;
        var name = AlgorithmName(oid);
        try
        {
            return name switch
            {
                "RSA" or "RSASSA-PSS" => (name, RsaPublicKeyStructure.GetInstance(info.ParsePublicKey()).Modulus.BitLength, null),
                "ECDSA" => ReadEllipticCurve(info, name),
                "DSA" => (name, info.Algorithm.Parameters is { } p and not Asn1Null ? DsaParameter.GetInstance(p).P.BitLength : null, null),
                "Ed25519" or "X25519" => (name, 256, null),
                "Ed448" => (name, 456, null),
                "X448" => (name, 448, null),
                _ => (name, null, null),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A key whose structure is damaged: its algorithm is still known, its size is not.
            return (name, null, null);
        }
    }

    private static (string, int?, string?) ReadEllipticCurve(SubjectPublicKeyInfo info, string name)
    {
        var parameters = X962Parameters.GetInstance(info.Algorithm.Parameters);
        if (parameters.IsNamedCurve)
        {
            var curveOid = (DerObjectIdentifier)parameters.Parameters;
            var curve = NistNamedCurves.GetName(curveOid) ?? ECNamedCurveTable.GetName(curveOid) ?? curveOid.Id;
            var size = NamedCurveSizes.TryGetValue(curve, out var known) ? known : ECNamedCurveTable.GetByOid(curveOid)?.Curve.FieldSize;
            return (name, size, curve);
        }

        if (parameters.IsImplicitlyCA)
        {
            return (name, null, "implicitlyCA");
        }

        return (name, X9ECParameters.GetInstance(parameters.Parameters).Curve.FieldSize, "explicit");
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
}
