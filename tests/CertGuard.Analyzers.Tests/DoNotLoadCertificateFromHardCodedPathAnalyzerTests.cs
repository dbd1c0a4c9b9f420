using Microsoft.CodeAnalysis.Testing;
using Verifier = CertGuard.Analyzers.Tests.Infrastructure.AnalyzerVerifier<CertGuard.Analyzers.DoNotLoadCertificateFromHardCodedPathAnalyzer>;

namespace CertGuard.Analyzers.Tests;

public sealed class DoNotLoadCertificateFromHardCodedPathAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Security.Cryptography.X509Certificates;
        using Microsoft.AspNetCore.Server.Kestrel.Core;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Options;

        """;

    [Theory]
    [InlineData("""new X509Certificate2([|"certs/server.pfx"|])""")]
    [InlineData("""new X509Certificate([|"certs/server.cer"|])""")]
    [InlineData("""new X509Certificate2([|@"C:\certs\server.pfx"|], (string?)null)""")]
    [InlineData("""new X509Certificate2([|"certs/" + "server.pfx"|])""")]
    [InlineData("""new X509Certificate2([|Path.Combine("certs", "server.pfx")|])""")]
    [InlineData("""new X509Certificate2([|Path.Combine("/etc", "certs", "tls", "server.pfx")|])""")]
    [InlineData("""new X509Certificate2([|$"{Directory}/server.pfx"|])""")]
    [InlineData("""new X509Certificate2([|ConstPath|])""")]
    [InlineData("""new X509Certificate2([|ReadOnlyPath|])""")]
    [InlineData("""new X509Certificate2([|File.ReadAllBytes("certs/server.cer")|])""")]
    [InlineData("""(X509Certificate2)X509Certificate2.CreateFromCertFile([|"certs/server.cer"|])""")]
    [InlineData("""X509Certificate2.CreateFromPemFile([|"tls.crt"|], [|"tls.key"|])""")]
    [InlineData("""X509Certificate2.CreateFromEncryptedPemFile([|"tls.crt"|], Secret(), [|"tls.key"|])""")]
    [InlineData("""X509Certificate2.CreateFromPem(File.ReadAllText([|"tls.crt"|]))""", true)]
    [InlineData("""X509CertificateLoader.LoadCertificateFromFile([|"server.cer"|])""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12FromFile([|"server.pfx"|], Secret())""")]
    [InlineData("""X509CertificateLoader.LoadCertificate([|File.ReadAllBytes("server.cer")|])""")]
    public Task Hard_coded_path_flowing_into_a_loader_is_reported(string expression, bool markupInsideRead = false)
    {
        // File.ReadAllText("x") is reported on the argument it feeds; markupInsideRead moves the marker onto it.
        if (markupInsideRead)
        {
            expression = expression.Replace("File.ReadAllText([|\"tls.crt\"|])", "[|File.ReadAllText(\"tls.crt\")|]", StringComparison.Ordinal);
        }

        return Verifier.VerifyAsync(Usings + $$"""
            class C
            {
                const string Directory = "/opt/app/certs";
                const string ConstPath = "certs/server.pfx";
                static readonly string ReadOnlyPath = "certs/server.pfx";
                static string Secret() => Environment.GetEnvironmentVariable("PFX_PASSWORD")!;
                object Load() => {{expression}};
            }
            """);
    }

    [Fact]
    public Task Local_initialised_from_a_literal_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            X509Certificate2 Load()
            {
                var path = "certs/server.pfx";
                const string other = "certs/other.pfx";
                _ = new X509Certificate2([|other|]);
                return new X509Certificate2([|path|]);
            }
        }
        """);

    [Fact]
    public Task Bytes_read_into_a_local_from_a_literal_path_are_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            X509Certificate2 Load()
            {
                var bytes = File.ReadAllBytes("certs/server.cer");
                return new X509Certificate2([|bytes|]);
            }
        }
        """);

    [Fact]
    public Task Kestrel_UseHttps_with_a_literal_path_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            void Configure(ListenOptions listen, IConfiguration configuration)
            {
                listen.UseHttps([|"server.pfx"|], configuration["Kestrel:Password"]);
                ListenOptionsHttpsExtensions.UseHttps(listen, [|"other.pfx"|]);
            }
        }
        """);

    [Fact]
    public Task Collection_import_of_a_literal_path_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            void Load(X509Certificate2Collection bundle)
            {
                bundle.ImportFromPemFile([|"/opt/ca/bundle.pem"|]);
            }
        }
        """);

    [Fact]
    public Task The_message_names_the_path() => Verifier.VerifyAsync(
        Usings + """
        class C
        {
            X509Certificate2 Load() => new X509Certificate2({|#0:"certs/" + "server.pfx"|});
        }
        """,
        new[] { Verifier.Diagnostic().WithLocation(0).WithArguments("certs/server.pfx") });

    [Theory]
    [InlineData("""new X509Certificate2(configuration["Certificates:Path"]!)""")]
    [InlineData("""new X509Certificate2(Environment.GetEnvironmentVariable("CERT_PATH")!)""")]
    [InlineData("""new X509Certificate2(options.Value.Path)""")]
    [InlineData("""new X509Certificate2($"{Environment.GetEnvironmentVariable("CERT_DIR")}/server.pfx")""")]
    [InlineData("""new X509Certificate2(Path.Combine(configuration["CertDir"]!, "server.pfx"))""")]
    [InlineData("""new X509Certificate2(File.ReadAllBytes(configuration["Certificates:Path"]!))""")]
    [InlineData("""new X509Certificate2(bytes)""")]
    [InlineData("""X509CertificateLoader.LoadCertificate(bytes)""")]
    [InlineData("""FindByThumbprint(store)""")]
    [InlineData("""File.Exists("certs/server.pfx")""")]
    [InlineData("""File.ReadAllBytes("data/settings.json")""")]
    [InlineData("""System.Text.Json.JsonDocument.Parse(File.ReadAllText("appsettings.json"))""")]
    [InlineData("""new X509Certificate2(path)""")]
    [InlineData("""new X509Certificate2(_pathFromConstructor)""")]
    [InlineData("""new X509Certificate2(Environment.GetCommandLineArgs()[1])""")]
    [InlineData("""new X509Certificate2(Path.Combine(AppContext.BaseDirectory, "server.pfx"))""")]
    [InlineData("""new X509Store(StoreName.My, StoreLocation.CurrentUser)""")]
    [InlineData("""new X509Certificate2(File.ReadAllBytes(path))""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12FromFile(path, "not-a-path.pfx")""")]
    [InlineData("""X509Certificate2.CreateFromPemFile(path, Path.ChangeExtension(path, ".key"))""")]
    [InlineData("""X509Certificate2.CreateFromPem(File.ReadAllText(path))""")]
    [InlineData("""X509CertificateLoader.LoadCertificateFromFile(configuration.GetValue<string>("Certificates:Path")!)""")]
    public Task Path_read_at_run_time_or_not_a_certificate_is_not_reported(string expression) => Verifier.VerifyAsync(Usings + $$"""
        class Settings { public string Path { get; set; } = ""; }
        class C
        {
            private readonly string _pathFromConstructor;

            C(IConfiguration configuration) => _pathFromConstructor = configuration["Certificates:Path"]!;

            object Load(IConfiguration configuration, IOptions<Settings> options, byte[] bytes, X509Store store, string path) => {{expression}};

            static X509Certificate2Collection FindByThumbprint(X509Store store) =>
                store.Certificates.Find(X509FindType.FindByThumbprint, "0123456789ABCDEF0123456789ABCDEF01234567", validOnly: true);
        }
        """);

    [Fact]
    public Task Local_reassigned_from_configuration_is_not_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            X509Certificate2 Load(IConfiguration configuration)
            {
                var path = "certs/default.pfx";
                if (configuration["Certificates:Path"] is { } configured)
                {
                    path = configured;
                }

                return new X509Certificate2(path);
            }
        }
        """);

    [Fact]
    public Task Allowed_path_prefixes_from_editorconfig_are_not_reported() => Verifier.VerifyAsync(
        Usings + """
        class C
        {
            void Load()
            {
                _ = new X509Certificate2("/run/secrets/server.pfx");
                _ = new X509Certificate2(Path.Combine("/etc/ssl/", "certs", "ca.pem"));
                _ = new X509Certificate2([|"/opt/app/server.pfx"|]);
                _ = new X509Certificate2([|"certs/run/secrets/server.pfx"|]);
            }
        }
        """,
        "dotnet_diagnostic.CG1001.allowed_path_prefixes = /etc/ssl/, /run/secrets/");

    [Fact]
    public Task Without_the_option_the_mount_point_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            X509Certificate2 Load() => new X509Certificate2([|"/run/secrets/server.pfx"|]);
        }
        """);
}
