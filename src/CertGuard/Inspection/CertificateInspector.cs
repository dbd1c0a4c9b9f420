using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;

namespace CertGuard.Inspection;

/// <summary>Reads the facts of certificates: identity, validity, key, signature, extensions and, when asked, the chain.</summary>
public sealed class CertificateInspector
{
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
        trust ??= ChainTrust.None;
        var fields = loaded.Fields;
        var extensions = fields.Parsed is null ? new ExtensionFacts() : ExtensionFacts.Read(fields.Parsed);
        var (signatureName, signatureHash) = SignatureAlgorithms.Describe(fields.SignatureAlgorithmOid, fields.Parsed?.SignatureAlgorithm.Parameters);

        return new CertificateFacts
        {
            Location = loaded.Location,
            Entry = loaded.Entry,
            Format = loaded.Format,
            Subject = fields.Subject,
            SubjectCommonName = fields.SubjectCommonName,
            Issuer = fields.Issuer,
            IssuerCommonName = fields.IssuerCommonName,
            SerialNumber = fields.SerialNumber,
            ThumbprintSha256 = fields.ThumbprintSha256,
            ThumbprintSha1 = fields.ThumbprintSha1,
            Version = fields.Version,
            SubjectAlternativeNames = extensions.SubjectAlternativeNames,
            NotBefore = fields.NotBefore,
            NotAfter = fields.NotAfter,
            KeyAlgorithm = fields.KeyAlgorithm,
            KeySize = fields.KeySize,
            KeyCurve = fields.KeyCurve,
            SignatureAlgorithm = signatureName,
            SignatureAlgorithmOid = fields.SignatureAlgorithmOid,
            SignatureHashAlgorithm = signatureHash,
            IsCertificateAuthority = extensions.IsCertificateAuthority,
            PathLengthConstraint = extensions.PathLengthConstraint,
            KeyUsage = extensions.KeyUsage,
            ExtendedKeyUsages = extensions.ExtendedKeyUsages,
            OcspUrls = extensions.OcspUrls,
            CaIssuerUrls = extensions.CaIssuerUrls,
            CrlDistributionPoints = extensions.CrlDistributionPoints,
            IsSelfSigned = IsSelfIssued(fields, extensions),
            PrivateKeyProtection = loaded.PrivateKeyProtection,
            PrivateKeyFileMode = loaded.PrivateKeyFileMode,
            IsChainMember = loaded.IsChainMember,
            PresentedChain = loaded.PresentedChain.Select(Summarize).ToList(),

            // The only fact that needs the platform's certificate: without trust to build with, none is created.
            Chain = trust.Mode == ChainTrustMode.None
                ? null
                : ChainEvaluator.Evaluate(loaded.Certificate, loaded.PresentedChain, trust, _timeProvider.GetUtcNow()),
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
        var fields = CertificateFieldReader.Read(certificate);
        var extensions = fields.Parsed is null ? new ExtensionFacts() : ExtensionFacts.Read(fields.Parsed);
        return new CertificateSummary(
            fields.Subject,
            fields.Issuer,
            fields.ThumbprintSha256,
            fields.NotBefore,
            fields.NotAfter,
            extensions.IsCertificateAuthority,
            IsSelfIssued(fields, extensions));
    }

    private static bool IsSelfIssued(CertificateFields fields, ExtensionFacts extensions)
    {
        if (!fields.IsSelfIssuedName)
        {
            return false;
        }

        // Same name, but signed by another key (a re-keyed CA's cross certificate): not self-signed.
        return extensions.AuthorityKeyIdentifier is null || extensions.SubjectKeyIdentifier is null
            || extensions.AuthorityKeyIdentifier.AsSpan().SequenceEqual(extensions.SubjectKeyIdentifier);
    }
}
