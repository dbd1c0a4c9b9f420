using CertGuard.Inspection;
using CertGuard.Loading;
using Xunit.Abstractions;

namespace CertGuard.Tests.Corpora;

/// <summary>Every loader and the inspector against ~1,600 certificates that other projects wrote, checked against openssl's reading.</summary>
public sealed class CorpusConformanceTests(ITestOutputHelper output)
{
    private static readonly string[] ParseFolders = ["parse-zlint", "parse-badssl", "parse-pyca", "malformed-misc", "malformed-boringssl"];
    private readonly CertificateInspector _inspector = new();

    [CorpusFact]
    public void Every_certificate_openssl_reads_loads_with_the_same_thumbprint_validity_and_key_size()
    {
        Assert.NotNull(Corpus.Root);
        var checkedCount = 0;
        var mismatches = new List<string>();
        var notLoaded = new List<string>();
        foreach (var folder in ParseFolders)
        {
            foreach (var row in Corpus.Table($"{folder}.facts.tsv"))
            {
                checkedCount++;
                var path = Corpus.PathOf(folder, row["file"]);
                using var result = CertificateLoader.LoadFile(path);
                if (result.Certificates.Count == 0)
                {
                    notLoaded.Add($"{folder}/{row["file"]}: {string.Join("; ", result.Errors.Select(e => $"{e.Reason} {e.Message}"))}");
                    continue;
                }

                var facts = _inspector.Inspect(result.Certificates[0]);
                var expectedThumbprint = row["sha256"].Replace(":", string.Empty, StringComparison.Ordinal);
                if (facts.ThumbprintSha256 != expectedThumbprint)
                {
                    mismatches.Add($"{folder}/{row["file"]}: thumbprint {facts.ThumbprintSha256} != {expectedThumbprint}");
                    continue;
                }

                var (notBefore, notAfter) = (Corpus.ParseOpenSslDate(row["notBefore"]), Corpus.ParseOpenSslDate(row["notAfter"]));
                if ((notBefore.HasValue && facts.NotBefore != notBefore) || (notAfter.HasValue && facts.NotAfter != notAfter))
                {
                    mismatches.Add($"{folder}/{row["file"]}: validity {facts.NotBefore:u}..{facts.NotAfter:u} != {row["notBefore"]}..{row["notAfter"]}");
                }

                if (int.TryParse(row["key_bits"], out var bits) && facts.KeySize is { } size && size != bits && !facts.KeyAlgorithm.StartsWith("Ed", StringComparison.Ordinal))
                {
                    mismatches.Add($"{folder}/{row["file"]}: key {facts.KeyAlgorithm} {size} bits != {bits}");
                }
            }
        }

        output.WriteLine($"checked {checkedCount}, not loaded by the platform {notLoaded.Count}, mismatches {mismatches.Count}");
        notLoaded.ForEach(output.WriteLine);
        Assert.True(checkedCount > 1400, $"only {checkedCount} corpus rows were read");
        Assert.Empty(mismatches);

        // A handful of certificates openssl reads are refused by the platform's stricter parser; each must be a clear
        // Corrupt error, and they must stay a handful.
        Assert.True(notLoaded.Count < checkedCount / 100, $"{notLoaded.Count} corpus certificates did not load:\n{string.Join("\n", notLoaded)}");
    }

    [CorpusFact]
    public void Signature_algorithm_names_and_key_algorithms_match_openssl()
    {
        var keyNames = new Dictionary<string, string>
        {
            ["rsaEncryption"] = "RSA",
            ["id-ecPublicKey"] = "ECDSA",
            ["ED25519"] = "Ed25519",
            ["ED448"] = "Ed448",
            ["dsaEncryption"] = "DSA",
            ["rsassaPss"] = "RSASSA-PSS",
            ["X25519"] = "X25519",
        };
        var mismatches = new List<string>();
        var compared = 0;
        var rows = Corpus.Table("parse-zlint.facts.tsv").Select(r => (Folder: "parse-zlint", Row: r))
            .Concat(Corpus.Table("parse-pyca.facts.tsv").Select(r => (Folder: "parse-pyca", Row: r)));
        foreach (var (folder, row) in rows)
        {
            using var result = CertificateLoader.LoadFile(Corpus.PathOf(folder, row["file"]));
            if (result.Certificates.Count == 0)
            {
                continue;
            }

            var facts = _inspector.Inspect(result.Certificates[0]);
            compared++;
            if (facts.SignatureAlgorithm != row["sig_alg"] && !row["sig_alg"].StartsWith("GOST", StringComparison.Ordinal))
            {
                mismatches.Add($"{row["file"]}: signature {facts.SignatureAlgorithm} != {row["sig_alg"]}");
            }

            if (keyNames.TryGetValue(row["pubkey_alg"], out var keyName) && facts.KeyAlgorithm != keyName)
            {
                mismatches.Add($"{row["file"]}: key {facts.KeyAlgorithm} != {keyName}");
            }
        }

        Assert.True(compared > 1300);
        Assert.Empty(mismatches);
    }

    [CorpusFact]
    public void Certificates_openssl_cannot_read_give_clear_errors_or_load_never_throw()
    {
        var outcomes = new List<string>();
        foreach (var folder in ParseFolders)
        {
            foreach (var row in Corpus.Table($"{folder}.facts.errors.tsv"))
            {
                var path = Corpus.PathOf(folder, row["file"]);
                using var result = CertificateLoader.LoadFile(path);
                Assert.True(result.Certificates.Count > 0 || result.Errors.Count > 0, $"{path} gave neither certificates nor errors");
                Assert.All(result.Errors, e =>
                {
                    Assert.StartsWith(path, e.Location, StringComparison.Ordinal);
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                });
                outcomes.Add($"{folder}/{row["file"]}: {(result.Certificates.Count > 0 ? "loaded" : result.Errors[0].Reason.ToString())}");
            }
        }

        outcomes.ForEach(output.WriteLine);
        Assert.True(outcomes.Count >= 20);
    }

    [CorpusFact]
    public void Boringssl_mutations_never_crash_and_every_file_is_loaded_or_explained()
    {
        var rows = Corpus.Table("malformed-boringssl.expected.tsv");
        var rejected = 0;
        foreach (var row in rows)
        {
            var path = Corpus.PathOf("malformed-boringssl", row["file"]);
            using var result = CertificateLoader.LoadFile(path);
            if (result.Certificates.Count == 0)
            {
                rejected++;
                Assert.Contains(Assert.Single(result.Errors).Reason, new[] { LoadErrorReason.Corrupt, LoadErrorReason.UnrecognizedFormat });
                continue;
            }

            // Loaded despite a malformed extension: inspection must still not throw, reading what it can.
            var facts = _inspector.Inspect(result.Certificates[0]);
            Assert.False(string.IsNullOrEmpty(facts.ThumbprintSha256));
        }

        output.WriteLine($"{rows.Count} mutations, {rejected} rejected at load, {rows.Count - rejected} loaded and inspected");
        Assert.True(rows.Count > 60);
    }

    [CorpusFact]
    public void Pyca_pkcs12_files_open_with_their_passwords_and_key_only_archives_have_no_certificate()
    {
        var opened = 0;
        foreach (var row in Corpus.Table("formats-pyca.passwords.tsv"))
        {
            var password = row["password"];
            var options = password.Length == 0 || password.StartsWith('(') ? CertificateLoadOptions.Default : new CertificateLoadOptions { Passwords = [password] };
            using var result = CertificateLoader.LoadFile(Corpus.PathOf("formats-pyca", row["file"]), options);
            if (row["file"].StartsWith("no-cert-key", StringComparison.Ordinal))
            {
                // A key with no certificate at all.
                Assert.Equal(LoadErrorReason.NoCertificate, Assert.Single(result.Errors).Reason);
                continue;
            }

            if (row["file"].StartsWith("no-cert", StringComparison.Ordinal))
            {
                // pyca's "no-cert" archives hold CA certificates but no certificate for a key.
                Assert.All(result.Certificates, c => Assert.False(c.HasPrivateKey));
            }

            Assert.True(result.Errors.Count == 0, $"{row["file"]}: {string.Join("; ", result.Errors)}");
            Assert.NotEmpty(result.Certificates);
            opened++;
        }

        Assert.True(opened >= 15, $"only {opened} archives opened");
    }

    [CorpusFact]
    public void Pyca_pkcs12_with_a_password_and_none_given_asks_for_one()
    {
        using var result = CertificateLoader.LoadFile(Corpus.PathOf("formats-pyca", "name-all-pwd.p12"));
        Assert.Equal(LoadErrorReason.PasswordRequired, Assert.Single(result.Errors).Reason);
    }

    [CorpusFact]
    public void Pyca_pkcs7_bundles_in_der_and_pem_give_the_same_certificates()
    {
        using var der = CertificateLoader.LoadFile(Corpus.PathOf("formats-pyca", "amazon-roots.p7b"));
        using var pem = CertificateLoader.LoadFile(Corpus.PathOf("formats-pyca", "isrg.pem"));

        Assert.Empty(der.Errors);
        Assert.True(der.Certificates.Count >= 2);
        Assert.All(der.Certificates, c => Assert.Equal(CertificateFormat.Pkcs7, c.Format));
        Assert.NotEmpty(pem.Certificates);
    }
}
