using CertGuard.Analyzers.CodeFixes;
using CertGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Verifier = CertGuard.Analyzers.Tests.Infrastructure.AnalyzerVerifier<CertGuard.Analyzers.DoNotDisableCertificateValidationAnalyzer>;

namespace CertGuard.Analyzers.Tests;

public sealed class DoNotDisableCertificateValidationAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Linq;
        using System.Net;
        using System.Net.Http;
        using System.Net.Security;
        using System.Net.WebSockets;
        using System.Security.Cryptography;
        using System.Security.Cryptography.X509Certificates;
        using Microsoft.AspNetCore.Server.Kestrel.Https;

        """;

    [Theory]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|(message, certificate, chain, errors) => true|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|(_, _, _, _) => true|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|delegate { return true; }|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|delegate (HttpRequestMessage m, X509Certificate2? c, X509Chain? ch, SslPolicyErrors e) { return true; }|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|(m, c, ch, errors) => errors == SslPolicyErrors.None || true|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|(m, c, ch, errors) => errors == SslPolicyErrors.None ? true : true|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|(m, c, ch, errors) => { Console.WriteLine(errors); return true; }|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|(m, c, ch, errors) => { Console.WriteLine("TLS"); return AllowAll; }|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|AcceptAll|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|AcceptAllExpression|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|AcceptAllField|];""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = [|HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|];""")]
    [InlineData("""_ = new HttpClientHandler { ServerCertificateCustomValidationCallback = [|(m, c, ch, e) => true|] };""")]
    [InlineData("""sockets.SslOptions.RemoteCertificateValidationCallback = [|(s, c, ch, e) => true|];""")]
    [InlineData("""_ = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = [|(s, c, ch, e) => true|] } };""")]
    [InlineData("""_ = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = [|(s, c, ch, e) => true|] };""")]
    [InlineData("""_ = new SslServerAuthenticationOptions { ClientCertificateRequired = true, RemoteCertificateValidationCallback = [|(s, c, ch, e) => true|] };""")]
    [InlineData("""_ = new SslStream(stream, false, [|(s, c, ch, e) => true|]);""")]
    [InlineData("""_ = new SslStream(stream, false, [|new RemoteCertificateValidationCallback(AcceptAllLegacy)|]);""")]
    [InlineData("""_ = new SslStream(stream, false, [|AcceptAllLegacy|], null);""")]
    [InlineData("""webSocket.Options.RemoteCertificateValidationCallback = [|(s, c, ch, e) => true|];""")]
    [InlineData("""https.ClientCertificateValidation = [|(certificate, chain, errors) => true|];""")]
    [InlineData("""[|https.AllowAnyClientCertificate()|];""")]
#pragma warning disable SYSLIB0014 // the obsolete APIs are exactly what users still write
    [InlineData("""ServicePointManager.ServerCertificateValidationCallback = [|(s, c, ch, e) => true|];""")]
    [InlineData("""ServicePointManager.ServerCertificateValidationCallback += [|(s, c, ch, e) => true|];""")]
    [InlineData("""request.ServerCertificateValidationCallback = [|delegate { return true; }|];""")]
#pragma warning restore SYSLIB0014
    public Task Callback_that_accepts_every_certificate_is_reported(string statement) => Verifier.VerifyAsync(Usings + $$"""
        class C
        {
            static bool AllowAll = true;
            static readonly Func<HttpRequestMessage, X509Certificate2?, X509Chain?, SslPolicyErrors, bool> AcceptAllField = (m, c, ch, e) => true;

            static bool AcceptAll(HttpRequestMessage message, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                return true;
            }

            static bool AcceptAllExpression(HttpRequestMessage message, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

            static bool AcceptAllLegacy(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

            void Configure(HttpClientHandler handler, SocketsHttpHandler sockets, Stream stream, ClientWebSocket webSocket, HttpsConnectionAdapterOptions https, HttpWebRequest request)
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task Callback_held_in_a_local_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            HttpClient Create()
            {
                Func<HttpRequestMessage, X509Certificate2?, X509Chain?, SslPolicyErrors, bool> acceptAll = (m, c, ch, e) => true;
                return new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = [|acceptAll|] });
            }
        }
        """);

    [Fact]
    public Task Method_group_declared_in_another_file_is_reported()
    {
        var test = new CSharpAnalyzerTestWithLocalReferences();
        test.TestState.Sources.Add(Usings + """
            class C
            {
                void Configure(HttpClientHandler handler) => handler.ServerCertificateCustomValidationCallback = [|Callbacks.AcceptAll|];
            }
            """);
        test.TestState.Sources.Add(Usings + """
            static class Callbacks
            {
                public static bool AcceptAll(HttpRequestMessage m, X509Certificate2? c, X509Chain? ch, SslPolicyErrors e) => true;
            }
            """);
        return test.RunAsync();
    }

    [Fact]
    public Task The_message_names_the_dangerous_validator() => Verifier.VerifyAsync(
        Usings + """
        class C
        {
            HttpClientHandler Create() => new() { ServerCertificateCustomValidationCallback = {|#0:HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|} };
        }
        """,
        new[] { Verifier.Diagnostic().WithLocation(0).WithArguments("HttpClientHandler.DangerousAcceptAnyServerCertificateValidator") });

    [Theory]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = (m, c, ch, errors) => errors == SslPolicyErrors.None;""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = (m, c, ch, errors) => { if (errors != SslPolicyErrors.None) { return false; } return true; };""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = (m, certificate, ch, e) => certificate?.GetCertHashString(HashAlgorithmName.SHA256) == PinnedThumbprint;""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = ValidateAgainstPrivateRoot;""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => false;""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = CreateValidator();""")]
    [InlineData("""var current = handler.ServerCertificateCustomValidationCallback;""")]
    [InlineData("""Console.WriteLine(handler.ServerCertificateCustomValidationCallback is null);""")]
    [InlineData("""Console.WriteLine(nameof(HttpClientHandler.DangerousAcceptAnyServerCertificateValidator));""")]
    [InlineData("""Func<object, X509Certificate?, X509Chain?, SslPolicyErrors, bool> notUsedForTls = (s, c, ch, e) => true;""")]
    [InlineData("""_ = new SslStream(stream, false, (s, c, ch, errors) => errors == SslPolicyErrors.None);""")]
    [InlineData("""_ = new SslStream(stream, false);""")]
    [InlineData("""https.ClientCertificateValidation = (certificate, chain, errors) => errors == SslPolicyErrors.None && certificate.Issuer == "CN=Internal CA";""")]
    [InlineData("""https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = (m, certificate, chain, e) => chain is not null && certificate is not null && chain.Build(certificate);""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = (m, c, ch, errors) => { Console.WriteLine(errors); return errors == SslPolicyErrors.None; };""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = (m, c, ch, errors) => errors == SslPolicyErrors.None || c?.Thumbprint == PinnedThumbprint;""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = (m, c, ch, errors) => errors == SslPolicyErrors.None && true;""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => throw new InvalidOperationException("TLS is not configured");""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = null;""")]
    [InlineData("""handler.ServerCertificateCustomValidationCallback = StrictField;""")]
    [InlineData("""_ = new SslStream(stream, false, ValidateLegacy);""")]
    [InlineData("""_ = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = null, TargetHost = "example.com" };""")]
    [InlineData("""https.ClientCertificateValidation = (certificate, chain, errors) => errors == SslPolicyErrors.None;""")]
    [InlineData("""_ = new[] { 1, 2 }.Where(x => true).Count();""")]
    [InlineData("""Action<SslPolicyErrors> log = errors => Console.WriteLine(errors);""")]
#pragma warning disable SYSLIB0014 // the obsolete APIs are exactly what users still write
    [InlineData("""ServicePointManager.ServerCertificateValidationCallback -= AcceptAllLegacy;""")]
    [InlineData("""ServicePointManager.ServerCertificateValidationCallback = null;""")]
#pragma warning restore SYSLIB0014
    public Task Callback_that_really_validates_or_code_that_only_reads_is_not_reported(string statement) => Verifier.VerifyAsync(Usings + $$"""
        class C
        {
            const string PinnedThumbprint = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
            static readonly X509Certificate2 PrivateRoot = X509CertificateLoader.LoadCertificateFromFile(Environment.GetEnvironmentVariable("ROOT_CA")!);

            static bool ValidateAgainstPrivateRoot(HttpRequestMessage message, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                if (certificate is null || chain is null)
                {
                    return false;
                }

                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(PrivateRoot);
                return chain.Build(certificate);
            }

            static Func<HttpRequestMessage, X509Certificate2?, X509Chain?, SslPolicyErrors, bool> CreateValidator() => (m, c, ch, e) => e == SslPolicyErrors.None;
            static readonly Func<HttpRequestMessage, X509Certificate2?, X509Chain?, SslPolicyErrors, bool> StrictField = (m, c, ch, e) => e == SslPolicyErrors.None;
            static bool ValidateLegacy(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => errors == SslPolicyErrors.None;
            static bool AcceptAllLegacy(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

            void Configure(HttpClientHandler handler, Stream stream, HttpsConnectionAdapterOptions https)
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task Local_function_that_validates_is_not_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            HttpClientHandler Create()
            {
                return new HttpClientHandler { ServerCertificateCustomValidationCallback = Validate };

                static bool Validate(HttpRequestMessage m, X509Certificate2? c, X509Chain? ch, SslPolicyErrors errors) => errors == SslPolicyErrors.None;
            }
        }
        """);

    [Fact]
    public Task Local_function_that_accepts_everything_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            HttpClientHandler Create()
            {
                return new HttpClientHandler { ServerCertificateCustomValidationCallback = [|AcceptAll|] };

                static bool AcceptAll(HttpRequestMessage m, X509Certificate2? c, X509Chain? ch, SslPolicyErrors errors) => true;
            }
        }
        """);

    [Fact]
    public Task Local_callback_that_accepts_everything_on_one_branch_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            HttpClientHandler Create(bool strict)
            {
                Func<HttpRequestMessage, X509Certificate2?, X509Chain?, SslPolicyErrors, bool> callback = (m, c, ch, e) => true;
                if (strict)
                {
                    callback = (m, c, ch, e) => e == SslPolicyErrors.None;
                }

                return new HttpClientHandler { ServerCertificateCustomValidationCallback = [|callback|] };
            }
        }
        """);

    [Fact]
    public Task Code_fix_removes_the_callback_assignment() => CodeFixVerifier<DoNotDisableCertificateValidationAnalyzer, RemoveAcceptAllValidationCallbackCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            HttpClient Create()
            {
                var handler = new HttpClientHandler();
                handler.ServerCertificateCustomValidationCallback = [|(m, c, ch, e) => true|];
                return new HttpClient(handler);
            }
        }
        """,
        Usings + """
        class C
        {
            HttpClient Create()
            {
                var handler = new HttpClientHandler();
                return new HttpClient(handler);
            }
        }
        """);

    [Fact]
    public Task Code_fix_removes_the_initializer_member() => CodeFixVerifier<DoNotDisableCertificateValidationAnalyzer, RemoveAcceptAllValidationCallbackCodeFixProvider>.VerifyAsync(
        Usings + """
        class C
        {
            HttpClientHandler Create() => new HttpClientHandler { ServerCertificateCustomValidationCallback = [|HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|] };
        }
        """,
        Usings + """
        class C
        {
            HttpClientHandler Create() => new HttpClientHandler { };
        }
        """);

    private sealed class CSharpAnalyzerTestWithLocalReferences : Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<DoNotDisableCertificateValidationAnalyzer, DefaultVerifier>
    {
        public CSharpAnalyzerTestWithLocalReferences()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(Infrastructure.LocalReferenceAssemblies.All);
        }
    }
}
