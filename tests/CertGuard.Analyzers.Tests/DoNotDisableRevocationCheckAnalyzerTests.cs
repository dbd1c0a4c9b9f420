using CertGuard.Analyzers.CodeFixes;
using CertGuard.Analyzers.Tests.Infrastructure;
using Verifier = CertGuard.Analyzers.Tests.Infrastructure.AnalyzerVerifier<CertGuard.Analyzers.DoNotDisableRevocationCheckAnalyzer>;

namespace CertGuard.Analyzers.Tests;

public sealed class DoNotDisableRevocationCheckAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Net.Security;
        using System.Security.Authentication;
        using System.Security.Cryptography.X509Certificates;
        using Microsoft.AspNetCore.Server.Kestrel.Https;

        """;

    [Theory]
    [InlineData("""chain.ChainPolicy.RevocationMode = [|X509RevocationMode.NoCheck|];""")]
    [InlineData("""_ = new X509ChainPolicy { RevocationMode = [|X509RevocationMode.NoCheck|] };""")]
    [InlineData("""_ = new SslClientAuthenticationOptions { CertificateRevocationCheckMode = [|X509RevocationMode.NoCheck|] };""")]
    [InlineData("""_ = new SslServerAuthenticationOptions { CertificateRevocationCheckMode = [|X509RevocationMode.NoCheck|] };""")]
    [InlineData("""handler.SslOptions.CertificateRevocationCheckMode = [|NoCheck|];""")]
    [InlineData("""_ = new HttpClientHandler { CheckCertificateRevocationList = [|false|] };""")]
    [InlineData("""https.CheckCertificateRevocation = [|false|];""")]
    [InlineData("""stream.AuthenticateAsClient("example.com", null, SslProtocols.None, [|false|]);""")]
    [InlineData("""_ = stream.AuthenticateAsClientAsync("example.com", null, checkCertificateRevocation: [|false|]);""")]
    public Task Disabled_revocation_check_is_reported(string statement) => Verifier.VerifyAsync(Usings + $$"""
        class C
        {
            const X509RevocationMode NoCheck = X509RevocationMode.NoCheck;

            void Configure(X509Chain chain, SocketsHttpHandler handler, HttpsConnectionAdapterOptions https, SslStream stream)
            {
                {{statement}}
            }
        }
        """);

    [Theory]
    [InlineData("""chain.ChainPolicy.RevocationMode = X509RevocationMode.Online;""")]
    [InlineData("""chain.ChainPolicy.RevocationMode = X509RevocationMode.Offline;""")]
    [InlineData("""chain.ChainPolicy.RevocationMode = mode;""")]
    [InlineData("""_ = chain.ChainPolicy.RevocationMode == X509RevocationMode.NoCheck;""")]
    [InlineData("""Console.WriteLine(X509RevocationMode.NoCheck);""")]
    [InlineData("""_ = new HttpClientHandler { CheckCertificateRevocationList = true };""")]
    [InlineData("""https.CheckCertificateRevocation = true;""")]
    [InlineData("""stream.AuthenticateAsClient("example.com", null, SslProtocols.None, true);""")]
    [InlineData("""_ = new SslClientAuthenticationOptions { AllowRenegotiation = false };""")]
    [InlineData("""_ = new X509ChainPolicy { RevocationMode = X509RevocationMode.Offline, RevocationFlag = X509RevocationFlag.EntireChain };""")]
    [InlineData("""_ = new SslServerAuthenticationOptions { CertificateRevocationCheckMode = X509RevocationMode.Online };""")]
    [InlineData("""stream.AuthenticateAsClient("example.com", null, SslProtocols.None, mode != X509RevocationMode.NoCheck);""")]
    public Task Revocation_checked_or_only_read_is_not_reported(string statement) => Verifier.VerifyAsync(Usings + $$"""
        class C
        {
            void Configure(X509Chain chain, HttpsConnectionAdapterOptions https, SslStream stream, X509RevocationMode mode)
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task Code_fix_replaces_NoCheck_with_Online() => CodeFixVerifier<DoNotDisableRevocationCheckAnalyzer, EnableRevocationCheckCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            void Configure(X509Chain chain)
            {
                chain.ChainPolicy.RevocationMode = [|X509RevocationMode.NoCheck|];
            }
        }
        """,
        Usings + """
        class C
        {
            void Configure(X509Chain chain)
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.Online;
            }
        }
        """);

    [Fact]
    public Task Code_fix_turns_a_false_switch_on() => CodeFixVerifier<DoNotDisableRevocationCheckAnalyzer, EnableRevocationCheckCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            HttpClientHandler Create() => new() { CheckCertificateRevocationList = [|false|] };
        }
        """,
        Usings + """
        class C
        {
            HttpClientHandler Create() => new() { CheckCertificateRevocationList = true };
        }
        """);
}
