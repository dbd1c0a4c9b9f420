using CertGuard.Analyzers.CodeFixes;
using CertGuard.Analyzers.Tests.Infrastructure;
using Verifier = CertGuard.Analyzers.Tests.Infrastructure.AnalyzerVerifier<CertGuard.Analyzers.DoNotIgnoreCertificateChainErrorsAnalyzer>;

namespace CertGuard.Analyzers.Tests;

public sealed class DoNotIgnoreCertificateChainErrorsAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Net.Security;
        using System.Security.Cryptography.X509Certificates;

        """;

    [Theory]
    [InlineData("""chain.ChainPolicy.VerificationFlags = [|X509VerificationFlags.AllFlags|];""")]
    [InlineData("""chain.ChainPolicy.VerificationFlags = [|X509VerificationFlags.IgnoreNotTimeValid|];""")]
    [InlineData("""chain.ChainPolicy.VerificationFlags = [|X509VerificationFlags.AllowUnknownCertificateAuthority|];""")]
    [InlineData("""chain.ChainPolicy.VerificationFlags = [|X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreEndRevocationUnknown|];""")]
    [InlineData("""chain.ChainPolicy.VerificationFlags |= [|X509VerificationFlags.IgnoreInvalidName|];""")]
    [InlineData("""_ = new X509ChainPolicy { VerificationFlags = [|X509VerificationFlags.IgnoreWrongUsage|] };""")]
    public Task Verification_flags_that_ignore_errors_are_reported(string statement) => Verifier.VerifyAsync(Usings + $$"""
        class C
        {
            void Configure(X509Chain chain)
            {
                {{statement}}
            }
        }
        """);

    [Theory]
    [InlineData("""(m, c, chain, errors) => errors == SslPolicyErrors.RemoteCertificateChainErrors""")]
    [InlineData("""(m, c, chain, errors) => errors == SslPolicyErrors.None || errors == SslPolicyErrors.RemoteCertificateChainErrors""")]
    [InlineData("""(m, c, chain, errors) => errors == SslPolicyErrors.None || SslPolicyErrors.RemoteCertificateNameMismatch == errors""")]
    [InlineData("""(m, c, chain, errors) => (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None""")]
    [InlineData("""(m, c, chain, errors) => errors is SslPolicyErrors.None or SslPolicyErrors.RemoteCertificateNameMismatch""")]
    [InlineData("""(m, c, chain, errors) => { if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)) { return true; } return errors == SslPolicyErrors.None; }""")]
    [InlineData("""(m, c, chain, errors) => { if (errors == SslPolicyErrors.RemoteCertificateNameMismatch) return true; return errors == SslPolicyErrors.None; }""")]
    [InlineData("""(m, c, chain, errors) => errors switch { SslPolicyErrors.None => true, SslPolicyErrors.RemoteCertificateChainErrors => true, _ => false }""")]
    [InlineData("""(m, c, chain, errors) => { if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false; return true; }""")]
    [InlineData("""(m, c, chain, errors) => { errors &= ~SslPolicyErrors.RemoteCertificateChainErrors; return errors == SslPolicyErrors.None; }""")]
    public Task Callback_that_accepts_chain_or_name_errors_is_reported(string callback) => Verifier.VerifyAsync(Usings + $$"""
        class C
        {
            HttpClientHandler Create() => new() { ServerCertificateCustomValidationCallback = [|{{callback}}|] };
        }
        """);

    [Fact]
    public Task Verification_flags_in_a_callback_are_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            HttpClientHandler Create() => new() { ServerCertificateCustomValidationCallback = (m, c, chain, errors) => { chain!.ChainPolicy.VerificationFlags = [|X509VerificationFlags.IgnoreNotTimeValid|]; return chain.Build(c!); } };
        }
        """);

    [Fact]
    public Task Callback_method_that_accepts_chain_errors_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            static bool [|Validate|](object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                if (errors == SslPolicyErrors.RemoteCertificateChainErrors)
                {
                    return true;
                }

                return errors == SslPolicyErrors.None;
            }
        }
        """);

    [Theory]
    [InlineData("""(m, c, chain, errors) => errors == SslPolicyErrors.None""")]
    [InlineData("""(m, c, chain, errors) => { if (errors == SslPolicyErrors.RemoteCertificateChainErrors) { return false; } return errors == SslPolicyErrors.None; }""")]
    [InlineData("""(m, c, chain, errors) => errors != SslPolicyErrors.RemoteCertificateNameMismatch && errors == SslPolicyErrors.None""")]
    [InlineData("""(m, c, chain, errors) => errors == SslPolicyErrors.RemoteCertificateChainErrors && ChainsToPrivateRoot(c, chain)""")]
    [InlineData("""(m, c, chain, errors) => { if (errors == SslPolicyErrors.RemoteCertificateChainErrors) { return ChainsToPrivateRoot(c, chain); } return errors == SslPolicyErrors.None; }""")]
    [InlineData("""(m, c, chain, errors) => { chain!.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag; return chain.Build(c!); }""")]
    [InlineData("""(m, c, chain, errors) => { if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) { return false; } return errors == SslPolicyErrors.None; }""")]
    [InlineData("""(m, c, chain, errors) => errors is SslPolicyErrors.None""")]
    [InlineData("""(m, c, chain, errors) => errors != SslPolicyErrors.RemoteCertificateChainErrors && errors == SslPolicyErrors.None""")]
    [InlineData("""(m, c, chain, errors) => { if (errors == SslPolicyErrors.RemoteCertificateChainErrors) Console.WriteLine("untrusted chain"); return errors == SslPolicyErrors.None; }""")]
    public Task Callback_that_rejects_or_really_checks_chain_errors_is_not_reported(string callback) => Verifier.VerifyAsync(Usings + $$"""
        class C
        {
            HttpClientHandler Create() => new() { ServerCertificateCustomValidationCallback = {{callback}} };

            static bool ChainsToPrivateRoot(X509Certificate2? certificate, X509Chain? chain)
            {
                if (certificate is null || chain is null)
                {
                    return false;
                }

                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(Environment.GetEnvironmentVariable("ROOT_CA")!));
                return chain.Build(certificate);
            }
        }
        """);

    [Theory]
    [InlineData("""chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;""")]
    [InlineData("""var flags = chain.ChainPolicy.VerificationFlags;""")]
    [InlineData("""_ = chain.ChainPolicy.VerificationFlags == X509VerificationFlags.AllFlags;""")]
    [InlineData("""chain.ChainPolicy.VerificationFlags = configured;""")]
    [InlineData("""Console.WriteLine(IsNameMismatch(SslPolicyErrors.RemoteCertificateNameMismatch));""")]
    [InlineData("""chain.ChainPolicy.VerificationFlags &= ~X509VerificationFlags.IgnoreNotTimeValid;""")]
    [InlineData("""_ = new X509ChainPolicy { VerificationFlags = X509VerificationFlags.NoFlag, RevocationMode = X509RevocationMode.Online };""")]
    public Task Policy_without_ignored_errors_or_a_plain_helper_is_not_reported(string statement) => Verifier.VerifyAsync(Usings + $$"""
        class C
        {
            static bool IsNameMismatch(SslPolicyErrors errors) => errors == SslPolicyErrors.RemoteCertificateNameMismatch;

            void Configure(X509Chain chain, X509VerificationFlags configured)
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task Code_fix_resets_the_flags_to_NoFlag() => CodeFixVerifier<DoNotIgnoreCertificateChainErrorsAnalyzer, RemoveIgnoredChainErrorsCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            void Configure(X509Chain chain)
            {
                chain.ChainPolicy.VerificationFlags = [|X509VerificationFlags.AllowUnknownCertificateAuthority | X509VerificationFlags.IgnoreNotTimeValid|];
            }
        }
        """,
        Usings + """
        class C
        {
            void Configure(X509Chain chain)
            {
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
            }
        }
        """);

    [Fact]
    public Task Code_fix_is_not_offered_for_a_callback() => CodeFixVerifier<DoNotIgnoreCertificateChainErrorsAnalyzer, RemoveIgnoredChainErrorsCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            HttpClientHandler Create() => new() { ServerCertificateCustomValidationCallback = [|(m, c, chain, errors) => errors == SslPolicyErrors.RemoteCertificateChainErrors|] };
        }
        """,
        Usings + """
        class C
        {
            HttpClientHandler Create() => new() { ServerCertificateCustomValidationCallback = [|(m, c, chain, errors) => errors == SslPolicyErrors.RemoteCertificateChainErrors|] };
        }
        """);
}
