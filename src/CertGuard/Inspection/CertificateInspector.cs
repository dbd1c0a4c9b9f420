using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection;

/// <summary>Reads the facts of certificates: identity, validity, key, signature, extensions and, when asked, the chain.</summary>
public sealed class CertificateInspector
{
    private const string CommonNameOid = "2.5.4.3";
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an inspector.</summary>
    /// <param name="timeProvider">The clock chain building verifies against; <see cref="TimeProvider.System"/> when null.</param>
    public CertificateInspector(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Reads the facts of a loaded certificate.</summary>
    /// <param name="loaded">The certificate as it was found.</param>
    /// <param name="trust">The trust to build its chain with; <see cref="ChainTrust.None"/> (no chain) when null.</param>
    /// <returns>The facts.</returns>
    public CertificateFacts Inspect(LoadedCertificate loaded, ChainTrust? trust = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var certificate = loaded.Certificate;
        var parsed = TryParse(certificate.RawData);
        var extensions = parsed is null ? new ExtensionFacts() : ExtensionFacts.Read(parsed);
        var (keyAlgorithm, keySize, keyCurve) = ReadKey(certificate);
        var signatureOid = certificate.SignatureAlgorithm.Value ?? "unknown";
        var (notBefore, notAfter) = ValidityReader.Read(certificate);
        var (signatureName, signatureHash) = SignatureAlgorithms.Describe(signatureOid, parsed?.SignatureAlgorithm.Parameters);

        return new CertificateFacts
        {
            Location = loaded.Location,
            Entry = loaded.Entry,
            Format = loaded.Format,
            Subject = certificate.Subject,
            SubjectCommonName = CommonName(certificate.SubjectName),
            Issuer = certificate.Issuer,
            IssuerCommonName = CommonName(certificate.IssuerName),
            SerialNumber = certificate.SerialNumber,
            ThumbprintSha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256),
            ThumbprintSha1 = certificate.Thumbprint,
            Version = certificate.Version,
            SubjectAlternativeNames = extensions.SubjectAlternativeNames,
            NotBefore = notBefore,
            NotAfter = notAfter,
            KeyAlgorithm = keyAlgorithm,
            KeySize = keySize,
            KeyCurve = keyCurve,
            SignatureAlgorithm = signatureName,
            SignatureAlgorithmOid = signatureOid,
            SignatureHashAlgorithm = signatureHash,
            IsCertificateAuthority = extensions.IsCertificateAuthority,
            PathLengthConstraint = extensions.PathLengthConstraint,
            KeyUsage = extensions.KeyUsage,
            ExtendedKeyUsages = extensions.ExtendedKeyUsages,
            OcspUrls = extensions.OcspUrls,
            CaIssuerUrls = extensions.CaIssuerUrls,
            CrlDistributionPoints = extensions.CrlDistributionPoints,
            IsSelfSigned = IsSelfIssued(certificate, extensions),
            PrivateKeyProtection = loaded.PrivateKeyProtection,
            PrivateKeyFileMode = loaded.PrivateKeyFileMode,
            IsChainMember = loaded.IsChainMember,
            PresentedChain = loaded.PresentedChain.Select(Summarize).ToList(),
            Chain = ChainEvaluator.Evaluate(certificate, loaded.PresentedChain, trust ?? ChainTrust.None, _timeProvider.GetUtcNow()),
            Connection = loaded.Connection,
            ConfiguredCertificate = loaded.ConfiguredCertificate,
            ReportedFindings = loaded.ReportedFindings,
        };
    }

    /// <summary>The identifying facts of a certificate, for chains.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>Its summary.</returns>
    public static CertificateSummary Summarize(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var parsed = TryParse(certificate.RawData);
        var extensions = parsed is null ? new ExtensionFacts() : ExtensionFacts.Read(parsed);
        var (notBefore, notAfter) = ValidityReader.Read(certificate);
        return new CertificateSummary(
            certificate.Subject,
            certificate.Issuer,
            certificate.GetCertHashString(HashAlgorithmName.SHA256),
            notBefore,
            notAfter,
            extensions.IsCertificateAuthority,
            IsSelfIssued(certificate, extensions));
    }

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

    private static bool IsSelfIssued(X509Certificate2 certificate, ExtensionFacts extensions)
    {
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return false;
        }

        // Same name, but signed by another key (a re-keyed CA's cross certificate): not self-signed.
        return extensions.AuthorityKeyIdentifier is null || extensions.SubjectKeyIdentifier is null
            || extensions.AuthorityKeyIdentifier.AsSpan().SequenceEqual(extensions.SubjectKeyIdentifier);
    }

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
