using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Loading;
using Xunit.Abstractions;

namespace CertGuard.Tests.Corpora;

/// <summary>
/// The managed field reader (what an inventory uses, with no platform certificate) gives exactly the facts the platform
/// certificate gives, for every certificate of the parse corpora that both read.
/// </summary>
public sealed class ManagedFieldEqualityTests(ITestOutputHelper output)
{
    private static readonly string[] ParseFolders = ["parse-zlint", "parse-badssl", "parse-pyca"];

    [CorpusFact]
    public void Managed_facts_equal_platform_facts_for_every_certificate_both_read()
    {
        Assert.NotNull(Corpus.Root);
        var compared = 0;
        var platformRefused = new List<string>();
        var managedRefused = new List<string>();
        var mismatches = new List<string>();
        foreach (var folder in ParseFolders)
        {
            foreach (var row in Corpus.Table($"{folder}.facts.tsv"))
            {
                var name = $"{folder}/{row["file"]}";
                var der = DerOf(Corpus.PathOf(folder, row["file"]));
                if (der is null)
                {
                    platformRefused.Add($"{name}: no certificate in the file");
                    continue;
                }

                CertificateFields platform;
                try
                {
                    using var certificate = X509CertificateLoader.LoadCertificate(der);
                    platform = CertificateFieldReader.ReadPlatform(certificate);
                }
                catch (CryptographicException ex)
                {
                    platformRefused.Add($"{name}: {ex.Message}");
                    continue;
                }

                var managed = CertificateFieldReader.TryReadManaged(der);
                if (managed is null)
                {
                    // Falling back is right only where BouncyCastle itself cannot read the certificate (then its extension
                    // facts read as absent either way), never because of the managed reader's own field reading.
                    managedRefused.Add(platform.Parsed is null ? name : $"{name} (BouncyCastle reads it)");
                    continue;
                }

                compared++;
                mismatches.AddRange(Differences(platform, managed).Select(d => $"{name}: {d}"));
            }
        }

        output.WriteLine($"compared {compared}, platform refused {platformRefused.Count}, managed refused (platform path used) {managedRefused.Count}");
        platformRefused.ForEach(output.WriteLine);
        managedRefused.ForEach(m => output.WriteLine($"managed refused: {m}"));
        Assert.Empty(mismatches);
        Assert.DoesNotContain(managedRefused, m => m.EndsWith("(BouncyCastle reads it)", StringComparison.Ordinal));
        Assert.Empty(platformRefused);

        // The managed path must be the rule: the fallbacks are zlint's deliberately odd certificates (205 of 1,614 today).
        Assert.True(compared > 1250, $"only {compared} certificates were compared; {managedRefused.Count} fell back to the platform");
    }

    [CorpusFact]
    public void Inspected_facts_of_a_lazily_loaded_certificate_equal_those_of_one_loaded_from_a_platform_certificate()
    {
        var inspector = new CertificateInspector();
        var compared = 0;
        foreach (var row in Corpus.Table("parse-badssl.facts.tsv"))
        {
            var path = Corpus.PathOf("parse-badssl", row["file"]);
            using var lazy = CertificateLoader.LoadFile(path);
            if (lazy.Certificates.Count != 1)
            {
                continue;
            }

            using var platform = X509CertificateLoader.LoadCertificate(lazy.Certificates[0].Certificate.RawData);
            var expected = inspector.Inspect(new LoadedCertificate(platform, path, CertificateFormat.Pem)) with { Location = path };
            using var fresh = CertificateLoader.LoadFile(path);
            var actual = inspector.Inspect(fresh.Certificates[0]);
            Assert.Null(fresh.Certificates[0].Handle.CreatedCertificate);
            Assert.Equal(Describe(expected), Describe(actual));
            compared++;
        }

        Assert.True(compared > 60, $"only {compared} badssl certificates were compared");
    }

    private static string Describe(CertificateFacts facts) => string.Join("|",
        facts.Subject, facts.SubjectCommonName, facts.Issuer, facts.IssuerCommonName, facts.SerialNumber, facts.ThumbprintSha256,
        facts.ThumbprintSha1, facts.Version, facts.NotBefore.ToString("O"), facts.NotAfter.ToString("O"), facts.KeyAlgorithm, facts.KeySize,
        facts.KeyCurve, facts.SignatureAlgorithm, facts.SignatureAlgorithmOid, facts.SignatureHashAlgorithm, facts.IsCertificateAuthority,
        facts.PathLengthConstraint, facts.KeyUsage, string.Join(",", facts.ExtendedKeyUsages), string.Join(",", facts.SubjectAlternativeNames),
        string.Join(",", facts.OcspUrls), string.Join(",", facts.CaIssuerUrls), string.Join(",", facts.CrlDistributionPoints), facts.IsSelfSigned);

    private static IEnumerable<string> Differences(CertificateFields platform, CertificateFields managed)
    {
        (string Field, object? Platform, object? Managed)[] pairs =
        [
            ("subject", platform.Subject, managed.Subject),
            ("subject CN", platform.SubjectCommonName, managed.SubjectCommonName),
            ("issuer", platform.Issuer, managed.Issuer),
            ("issuer CN", platform.IssuerCommonName, managed.IssuerCommonName),
            ("serial", platform.SerialNumber, managed.SerialNumber),
            ("sha256", platform.ThumbprintSha256, managed.ThumbprintSha256),
            ("sha1", platform.ThumbprintSha1, managed.ThumbprintSha1),
            ("version", platform.Version, managed.Version),
            ("notBefore", platform.NotBefore, managed.NotBefore),
            ("notAfter", platform.NotAfter, managed.NotAfter),
            ("key algorithm", platform.KeyAlgorithm, managed.KeyAlgorithm),
            ("key size", platform.KeySize, managed.KeySize),
            ("key curve", platform.KeyCurve, managed.KeyCurve),
            ("signature OID", platform.SignatureAlgorithmOid, managed.SignatureAlgorithmOid),
            ("self-issued name", platform.IsSelfIssuedName, managed.IsSelfIssuedName),
            ("extensions readable", platform.Parsed is not null, managed.Parsed is not null),
        ];
        return pairs.Where(p => !Equals(p.Platform, p.Managed)).Select(p => $"{p.Field}: platform '{p.Platform}', managed '{p.Managed}'");
    }

    /// <summary>The DER of the file's first certificate (PEM or DER), or null.</summary>
    private static byte[]? DerOf(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!PemReader.LooksLikePem(bytes))
        {
            return bytes;
        }

        var block = PemReader.Read(bytes).Find(b => PemLabels.IsCertificate(b.Label));
        return block.Data is null ? null : block.Label == PemLabels.TrustedCertificate ? DerCertificateDecoder.FirstElement(block.Data).ToArray() : block.Data;
    }
}
