using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection;

/// <summary>
/// Reads a certificate's fields. The managed path (BouncyCastle, <see cref="AsnReader"/> and
/// <see cref="X500DistinguishedName"/> over the DER) is about thirty times cheaper than the platform's parser on Linux,
/// so an inventory of many files needs no platform certificate at all; the platform path remains for DER the managed
/// parser refuses.
/// </summary>
internal static class CertificateFieldReader
{
    private const string CommonNameOid = "2.5.4.3";
    private static readonly Asn1Tag VersionTag = new(TagClass.ContextSpecific, 0, isConstructed: true);

    /// <summary>The fields read from DER alone, or <see langword="null"/> when the managed parser cannot read them all.</summary>
    public static CertificateFields? TryReadManaged(ReadOnlySpan<byte> der)
    {
        try
        {
            // The platform loader takes exactly one certificate; trailing bytes are for it to judge.
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.BER, out _, out _, out var consumed);
            if (consumed != der.Length)
            {
                return null;
            }

            var bytes = der.ToArray();
            var tbs = new AsnReader(bytes, AsnEncodingRules.BER).ReadSequence().ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(VersionTag))
            {
                tbs.ReadEncodedValue();
            }

            var serial = tbs.ReadIntegerBytes();
            tbs.ReadEncodedValue();
            var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
            tbs.ReadEncodedValue();
            var subject = new X500DistinguishedName(tbs.ReadEncodedValue().Span);

            var parsed = new X509CertificateParser().ReadCertificate(bytes);
            if (parsed is null)
            {
                return null;
            }

            var (keyAlgorithm, keySize, keyCurve) = PublicKeyReader.Read(parsed.CertificateStructure.SubjectPublicKeyInfo);
            return new CertificateFields
            {
                Subject = subject.Name,
                SubjectCommonName = CommonName(subject),
                Issuer = issuer.Name,
                IssuerCommonName = CommonName(issuer),
                SerialNumber = Convert.ToHexString(serial.Span),
                ThumbprintSha256 = Convert.ToHexString(SHA256.HashData(bytes)),
                ThumbprintSha1 = Convert.ToHexString(SHA1.HashData(bytes)),
                Version = parsed.Version,
                NotBefore = Utc(parsed.NotBefore),
                NotAfter = Utc(parsed.NotAfter),
                KeyAlgorithm = keyAlgorithm,
                KeySize = keySize,
                KeyCurve = keyCurve,
                // The platform names the algorithm inside the signed part, which a forged or odd certificate may make differ from the outer one.
                SignatureAlgorithmOid = parsed.CertificateStructure.TbsCertificate.Signature.Algorithm.Id,
                IsSelfIssuedName = subject.RawData.AsSpan().SequenceEqual(issuer.RawData),
                Parsed = parsed,
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything the managed parser cannot read in full goes the platform's way, as every certificate did before.
            return null;
        }
    }

    /// <summary>The fields as the platform certificate gives them.</summary>
    public static CertificateFields ReadPlatform(X509Certificate2 certificate)
    {
        var (notBefore, notAfter) = ValidityReader.Read(certificate);
        var (keyAlgorithm, keySize, keyCurve) = ReadKey(certificate);
        return new CertificateFields
        {
            Subject = certificate.Subject,
            SubjectCommonName = CommonName(certificate.SubjectName),
            Issuer = certificate.Issuer,
            IssuerCommonName = CommonName(certificate.IssuerName),
            SerialNumber = certificate.SerialNumber,
            ThumbprintSha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256),
            ThumbprintSha1 = certificate.Thumbprint,
            Version = certificate.Version,
            NotBefore = notBefore,
            NotAfter = notAfter,
            KeyAlgorithm = keyAlgorithm,
            KeySize = keySize,
            KeyCurve = keyCurve,
            SignatureAlgorithmOid = certificate.SignatureAlgorithm.Value ?? "unknown",
            IsSelfIssuedName = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData),
            Parsed = TryParse(certificate.RawData),
        };
    }

    /// <summary>The managed fields when the managed parser reads them, else the platform's.</summary>
    public static CertificateFields Read(X509Certificate2 certificate) =>
        TryReadManaged(certificate.RawDataMemory.Span) ?? ReadPlatform(certificate);

    private static BcCertificate? TryParse(byte[] der)
    {
        try
        {
            return new X509CertificateParser().ReadCertificate(der);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The platform accepted what BouncyCastle did not: the extension facts read as absent.
            return null;
        }
    }

    private static (string Algorithm, int? Size, string? Curve) ReadKey(X509Certificate2 certificate)
    {
        try
        {
            var info = SubjectPublicKeyInfo.GetInstance(certificate.PublicKey.ExportSubjectPublicKeyInfo());
            return PublicKeyReader.Read(info);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown", null, null);
        }
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static string? CommonName(X500DistinguishedName name)
    {
        try
        {
            string? commonName = null;
            foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
            {
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
                {
                    commonName = rdn.GetSingleElementValue();
                }
            }

            return commonName;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
