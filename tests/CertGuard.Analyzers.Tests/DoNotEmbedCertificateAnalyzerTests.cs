using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Analyzers.Tests.Infrastructure;
using Verifier = CertGuard.Analyzers.Tests.Infrastructure.AnalyzerVerifier<CertGuard.Analyzers.DoNotEmbedCertificateAnalyzer>;

namespace CertGuard.Analyzers.Tests;

public sealed class DoNotEmbedCertificateAnalyzerTests
{
    private static readonly DateTimeOffset _inTwoYears = TestCertificates.WholeSeconds(DateTimeOffset.UtcNow.AddYears(2));

    private static string Class(string members) => $$"""
        using System;
        using System.Security.Cryptography.X509Certificates;
        class C
        {
        {{members}}
        }
        """;

    [Fact]
    public Task Pem_in_a_regular_literal_is_reported()
    {
        var literal = TestCertificates.RegularLiteral(TestCertificates.PemExpiringAt(_inTwoYears));
        return Verifier.VerifyAsync(Class($"    X509Certificate2 Load() => X509Certificate2.CreateFromPem([|{literal}|]);"));
    }

    [Fact]
    public Task Pem_in_a_verbatim_literal_is_reported()
    {
        var pem = TestCertificates.PemExpiringAt(_inTwoYears);
        return Verifier.VerifyAsync(Class($"    const string Pem = [|@\"{pem}\"|];"));
    }

    [Fact]
    public Task Pem_in_a_raw_literal_is_reported()
    {
        var pem = TestCertificates.PemExpiringAt(_inTwoYears).TrimEnd();
        var indented = string.Join("\n", pem.Split('\n').Select(line => "        " + line));
        return Verifier.VerifyAsync(Class($"    static readonly string Pem = [|\"\"\"\n{indented}\n        \"\"\"|];"));
    }

    [Fact]
    public Task Pem_in_a_utf8_literal_is_reported()
    {
        var literal = TestCertificates.RegularLiteral(TestCertificates.PemExpiringAt(_inTwoYears));
        return Verifier.VerifyAsync(Class($"    static ReadOnlySpan<byte> Pem => [|{literal}u8|];"));
    }

    [Fact]
    public Task Base64_der_flowing_into_a_loader_is_reported()
    {
        var base64 = TestCertificates.Base64DerExpiringAt(_inTwoYears);
        return Verifier.VerifyAsync(Class($"    X509Certificate2 Load() => X509CertificateLoader.LoadCertificate(Convert.FromBase64String([|\"{base64}\"|]));"));
    }

    [Fact]
    public Task Pem_split_over_concatenated_literals_is_reported_once()
    {
        var lines = TestCertificates.PemExpiringAt(_inTwoYears).TrimEnd().Split('\n');
        var concatenation = string.Join("\n        + ", lines.Select(line => TestCertificates.RegularLiteral(line + "\n")));
        return Verifier.VerifyAsync(Class($"    const string Pem = [|{concatenation}|];"));
    }

    [Fact]
    public Task An_expired_certificate_is_still_reported_and_the_message_says_when_it_expires()
    {
        var notAfter = TestCertificates.WholeSeconds(DateTimeOffset.UtcNow.AddYears(-2));
        var literal = TestCertificates.RegularLiteral(TestCertificates.PemExpiringAt(notAfter, "legacy.example"));
        return Verifier.VerifyAsync(
            Class($"    const string Pem = {{|#0:{literal}|}};"),
            new[] { Verifier.Diagnostic().WithLocation(0).WithArguments("'legacy.example' ", TestCertificates.Date(notAfter)) });
    }

    [Fact]
    public Task A_bundle_reports_the_certificate_that_expires_first()
    {
        var soon = TestCertificates.WholeSeconds(DateTimeOffset.UtcNow.AddDays(300));
        var bundle = TestCertificates.PemExpiringAt(_inTwoYears, "leaf") + TestCertificates.PemExpiringAt(soon, "intermediate");
        return Verifier.VerifyAsync(
            Class($"    const string Bundle = {{|#0:{TestCertificates.RegularLiteral(bundle)}|}};"),
            new[] { Verifier.Diagnostic().WithLocation(0).WithArguments("'intermediate' ", TestCertificates.Date(soon)) });
    }

    [Fact]
    public Task A_public_key_is_not_a_certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        return Verifier.VerifyAsync(Class($"    const string Key = {TestCertificates.RegularLiteral(key.ExportSubjectPublicKeyInfoPem())};"));
    }

    [Fact]
    public Task A_private_key_in_base64_is_not_a_certificate()
    {
        using var key = RSA.Create(2048);
        return Verifier.VerifyAsync(Class($"    const string Key = \"{Convert.ToBase64String(key.ExportPkcs8PrivateKey())}\";"));
    }

    [Fact]
    public Task A_certificate_signing_request_is_not_a_certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=csr.example", key, HashAlgorithmName.SHA256);
        return Verifier.VerifyAsync(Class($"    const string Csr = {TestCertificates.RegularLiteral(request.CreateSigningRequestPem())};"));
    }

    [Fact]
    public Task A_placeholder_pem_block_is_not_reported()
    {
        var placeholder = "-----BEGIN CERTIFICATE-----\n" + "MIIB" + new string('A', 300) + "\n-----END CERTIFICATE-----\n";
        return Verifier.VerifyAsync(Class($$"""
                const string Documentation = {{TestCertificates.RegularLiteral(placeholder)}};
                const string Template = "-----BEGIN CERTIFICATE-----\n...paste your certificate here...\n-----END CERTIFICATE-----";
            """));
    }

    [Fact]
    public Task A_certificate_in_a_comment_is_not_a_string_in_the_program()
    {
        var pem = TestCertificates.PemExpiringAt(_inTwoYears);
        var comment = string.Join("\n", pem.TrimEnd().Split('\n').Select(line => "    // " + line));
        return Verifier.VerifyAsync(Class(comment + "\n    const string Thumbprint = \"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\";"));
    }

    [Fact]
    public Task A_pem_assembled_at_run_time_around_a_variable_is_not_reported() => Verifier.VerifyAsync(Class("""
            static X509Certificate2 Load(string body) =>
                X509Certificate2.CreateFromPem($"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
            static X509Certificate2 FromEnvironment() =>
                X509Certificate2.CreateFromPem(Environment.GetEnvironmentVariable("SERVER_CERTIFICATE_PEM"));
        """));

    [Fact]
    public Task A_truncated_certificate_is_not_reported()
    {
        var base64 = TestCertificates.Base64DerExpiringAt(_inTwoYears);
        return Verifier.VerifyAsync(Class($"    const string Truncated = \"{base64[..(base64.Length / 2 / 4 * 4)]}\";"));
    }

    [Fact]
    public Task Ordinary_long_strings_and_certificates_read_at_run_time_are_not_reported() => Verifier.VerifyAsync(Class($$"""
            const string Text = "{{string.Concat(Enumerable.Repeat("Certificates expire; plan their renewal. ", 20))}}";
            const string Base64 = "{{Convert.ToBase64String(new byte[600])}}";
            X509Certificate2 Load(string path) => X509Certificate2.CreateFromPemFile(path);
            X509Certificate2 Parse(string pem) => X509Certificate2.CreateFromPem(pem);
        """));
}
