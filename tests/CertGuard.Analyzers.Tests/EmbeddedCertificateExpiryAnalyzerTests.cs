using CertGuard.Analyzers.Tests.Infrastructure;
using Verifier = CertGuard.Analyzers.Tests.Infrastructure.AnalyzerVerifier<CertGuard.Analyzers.EmbeddedCertificateExpiryAnalyzer>;

namespace CertGuard.Analyzers.Tests;

public sealed class EmbeddedCertificateExpiryAnalyzerTests
{
    private static string Source(string literalWithMarkup) => $$"""
        using System.Security.Cryptography.X509Certificates;
        class C
        {
            X509Certificate2 Load() => X509Certificate2.CreateFromPem({{literalWithMarkup}});
        }
        """;

    private static string PemLiteral(DateTimeOffset notAfter, string commonName = "CertGuard test") =>
        TestCertificates.RegularLiteral(TestCertificates.PemExpiringAt(notAfter, commonName));

    [Fact]
    public Task Certificate_that_expired_yesterday_is_reported()
    {
        var notAfter = TestCertificates.WholeSeconds(DateTimeOffset.UtcNow.AddDays(-1));
        return Verifier.VerifyAsync(
            Source($"{{|#0:{PemLiteral(notAfter, "api.example")}|}}"),
            new[] { Verifier.Diagnostic().WithLocation(0).WithArguments("'api.example' ", $"expired on {TestCertificates.Date(notAfter)}, 1 day ago") });
    }

    [Fact]
    public Task Certificate_that_expires_in_ten_days_is_reported()
    {
        var notAfter = TestCertificates.WholeSeconds(DateTimeOffset.UtcNow.AddDays(10));
        return Verifier.VerifyAsync(
            Source($"{{|#0:{PemLiteral(notAfter, "api.example")}|}}"),
            new[] { Verifier.Diagnostic().WithLocation(0).WithArguments("'api.example' ", $"expires on {TestCertificates.Date(notAfter)}, in 10 days (warning window: 90 days)") });
    }

    [Fact]
    public Task Base64_der_that_has_expired_is_reported()
    {
        var base64 = TestCertificates.Base64DerExpiringAt(DateTimeOffset.UtcNow.AddDays(-30));
        return Verifier.VerifyAsync($$"""
            using System;
            using System.Security.Cryptography.X509Certificates;
            class C
            {
                X509Certificate2 Load() => X509CertificateLoader.LoadCertificate(Convert.FromBase64String([|"{{base64}}"|]));
            }
            """);
    }

    [Fact]
    public Task Certificate_valid_for_two_years_is_not_reported() =>
        Verifier.VerifyAsync(Source(PemLiteral(DateTimeOffset.UtcNow.AddYears(2))));

    [Fact]
    public Task Certificate_just_outside_the_default_window_is_not_reported() =>
        Verifier.VerifyAsync(Source(PemLiteral(DateTimeOffset.UtcNow.AddDays(95))));

    [Fact]
    public Task A_wider_warning_window_from_editorconfig_reports_a_certificate_valid_for_200_days() =>
        Verifier.VerifyAsync(Source($"[|{PemLiteral(DateTimeOffset.UtcNow.AddDays(200))}|]"), "dotnet_diagnostic.CG1007.warning_days = 365");

    [Fact]
    public Task A_narrower_warning_window_from_editorconfig_does_not_report_a_certificate_valid_for_10_days() =>
        Verifier.VerifyAsync(Source(PemLiteral(DateTimeOffset.UtcNow.AddDays(10))), "dotnet_diagnostic.CG1007.warning_days = 5");

    [Fact]
    public Task A_zero_day_window_still_reports_an_expired_certificate() =>
        Verifier.VerifyAsync(Source($"[|{PemLiteral(DateTimeOffset.UtcNow.AddDays(-1))}|]"), "dotnet_diagnostic.CG1007.warning_days = 0");

    [Fact]
    public Task An_unreadable_window_falls_back_to_90_days() =>
        Verifier.VerifyAsync(Source($"[|{PemLiteral(DateTimeOffset.UtcNow.AddDays(10))}|]"), "dotnet_diagnostic.CG1007.warning_days = soon");

    [Fact]
    public Task A_two_year_certificate_is_outside_even_a_one_year_window() =>
        Verifier.VerifyAsync(Source(PemLiteral(DateTimeOffset.UtcNow.AddYears(2))), "dotnet_diagnostic.CG1007.warning_days = 365");

    [Fact]
    public Task A_bundle_of_long_lived_certificates_is_not_reported()
    {
        var bundle = TestCertificates.PemExpiringAt(DateTimeOffset.UtcNow.AddYears(2), "leaf") + TestCertificates.PemExpiringAt(DateTimeOffset.UtcNow.AddYears(5), "root");
        return Verifier.VerifyAsync(Source(TestCertificates.RegularLiteral(bundle)));
    }

    [Fact]
    public Task A_certificate_not_yet_valid_but_long_lived_is_not_reported()
    {
        using var certificate = TestCertificates.Create("future.example", DateTimeOffset.UtcNow.AddDays(30), DateTimeOffset.UtcNow.AddYears(2));
        return Verifier.VerifyAsync(Source(TestCertificates.RegularLiteral(certificate.ExportCertificatePem())));
    }

    [Fact]
    public Task A_certificate_at_120_days_is_outside_an_explicit_90_day_window() =>
        Verifier.VerifyAsync(Source(PemLiteral(DateTimeOffset.UtcNow.AddDays(120))), "dotnet_diagnostic.CG1007.warning_days = 90");

    [Fact]
    public Task An_expired_certificate_in_a_comment_is_not_reported()
    {
        var pem = TestCertificates.PemExpiringAt(DateTimeOffset.UtcNow.AddDays(-1));
        var comment = string.Join("\n", pem.TrimEnd().Split('\n').Select(line => "// " + line));
        return Verifier.VerifyAsync(comment + "\nclass C { }\n");
    }

    [Fact]
    public Task A_soon_expiring_intermediate_in_a_bundle_is_reported()
    {
        var bundle = TestCertificates.PemExpiringAt(DateTimeOffset.UtcNow.AddYears(2), "leaf") + TestCertificates.PemExpiringAt(DateTimeOffset.UtcNow.AddDays(20), "intermediate");
        return Verifier.VerifyAsync(Source($"[|{TestCertificates.RegularLiteral(bundle)}|]"));
    }
}
