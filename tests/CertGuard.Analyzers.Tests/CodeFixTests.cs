using CertGuard.Analyzers.CodeFixes;
using CertGuard.Analyzers.Tests.Infrastructure;

namespace CertGuard.Analyzers.Tests;

/// <summary>The code fixes on the shapes that used to break or had no fix: expression-bodied lambdas, <c>|=</c> flags, SslStream arguments.</summary>
public sealed class CodeFixTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Net.Security;
        using System.Net.WebSockets;
        using System.Security.Cryptography.X509Certificates;

        """;

    [Fact]
    public Task CG1003_fix_on_an_expression_bodied_lambda_leaves_an_empty_body() => CodeFixVerifier<DoNotDisableCertificateValidationAnalyzer, RemoveAcceptAllValidationCallbackCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            static void Configure(Action<ClientWebSocketOptions> configure) { }
            void Setup() => Configure(ws => ws.RemoteCertificateValidationCallback = [|(_, _, _, _) => true|]);
        }
        """,
        Usings + """
        class C
        {
            static void Configure(Action<ClientWebSocketOptions> configure) { }
            void Setup() => Configure(ws => { });
        }
        """);

    [Fact]
    public Task CG1003_fix_on_an_SslStream_argument_passes_null() => CodeFixVerifier<DoNotDisableCertificateValidationAnalyzer, RemoveAcceptAllValidationCallbackCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            SslStream Wrap(Stream s) => new SslStream(s, false, [|(sender, certificate, chain, errors) => true|]);
        }
        """,
        Usings + """
        class C
        {
            SslStream Wrap(Stream s) => new SslStream(s, false, null);
        }
        """);

    [Fact]
    public Task CG1005_fix_on_an_or_assignment_removes_the_statement() => CodeFixVerifier<DoNotIgnoreCertificateChainErrorsAnalyzer, RemoveIgnoredChainErrorsCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            void Relax(X509Chain chain)
            {
                chain.ChainPolicy.VerificationFlags |= [|X509VerificationFlags.IgnoreNotTimeValid|];
                chain.ChainPolicy.RevocationMode = X509RevocationMode.Online;
            }
        }
        """,
        Usings + """
        class C
        {
            void Relax(X509Chain chain)
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.Online;
            }
        }
        """);

    [Fact]
    public Task CG1005_fix_through_a_local_resets_the_assignment() => CodeFixVerifier<DoNotIgnoreCertificateChainErrorsAnalyzer, RemoveIgnoredChainErrorsCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            void Relax(X509Chain chain)
            {
                var flags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.ChainPolicy.VerificationFlags = [|flags|];
            }
        }
        """,
        Usings + """
        class C
        {
            void Relax(X509Chain chain)
            {
                var flags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
            }
        }
        """);
}
