using Verifier = CertGuard.Analyzers.Tests.Infrastructure.AnalyzerVerifier<CertGuard.Analyzers.DoNotHardCodeCertificatePasswordAnalyzer>;

namespace CertGuard.Analyzers.Tests;

public sealed class DoNotHardCodeCertificatePasswordAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Net;
        using System.Security;
        using System.Security.Cryptography.X509Certificates;
        using Microsoft.AspNetCore.Server.Kestrel.Core;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Configuration;

        """;

    [Theory]
    [InlineData("""new X509Certificate2(path, [|"s3cret"|])""")]
    [InlineData("""new X509Certificate2(path, [|"s3cret"|], X509KeyStorageFlags.EphemeralKeySet)""")]
    [InlineData("""new X509Certificate(path, [|"s3cret"|])""")]
    [InlineData("""new X509Certificate2(bytes, [|Password|])""")]
    [InlineData("""new X509Certificate2(bytes, [|ReadOnlyPassword|])""")]
    [InlineData("""new X509Certificate2(bytes, [|"s3" + "cret"|])""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12FromFile(path, [|"s3cret"|])""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12(bytes, [|Password|])""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12Collection(bytes, [|"s3cret"|])""")]
    [InlineData("""X509Certificate2.CreateFromEncryptedPemFile(path, [|"s3cret"|])""")]
    [InlineData("""X509Certificate2.CreateFromEncryptedPem(pem, pem, [|"s3cret"|])""")]
    [InlineData("""certificate.Export(X509ContentType.Pfx, [|"s3cret"|])""")]
    [InlineData("""collection.Export(X509ContentType.Pkcs12, [|Password|])""")]
    public Task Hard_coded_password_is_reported(string expression) => Verifier.VerifyAsync(Usings + $$"""
        class C
        {
            const string Password = "s3cret";
            static readonly string ReadOnlyPassword = "s3cret";
            object Load(string path, byte[] bytes, string pem, X509Certificate2 certificate, X509Certificate2Collection collection) => {{expression}};
        }
        """);

    [Fact]
    public Task Local_initialised_from_a_literal_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            X509Certificate2 Load(string path)
            {
                var password = "s3cret";
                return X509CertificateLoader.LoadPkcs12FromFile(path, [|password|]);
            }
        }
        """);

    [Fact]
    public Task Kestrel_UseHttps_with_a_literal_password_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            void Configure(ListenOptions listen, IConfiguration configuration) =>
                listen.UseHttps(configuration["Kestrel:Path"]!, [|"s3cret"|]);
        }
        """);

    [Fact]
    public Task SecureString_filled_from_a_literal_is_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            X509Certificate2 LoadFromLoop(string path)
            {
                var password = new SecureString();
                foreach (var c in "s3cret")
                {
                    password.AppendChar(c);
                }

                return new X509Certificate2(path, [|password|]);
            }

            X509Certificate2 LoadFromCharacters(string path)
            {
                var password = new SecureString();
                password.AppendChar('p');
                password.AppendChar('w');
                return new X509Certificate2(path, [|password|]);
            }

            X509Certificate2 LoadFromCredential(string path)
            {
                var password = new NetworkCredential("", "s3cret").SecurePassword;
                return new X509Certificate2(path, [|password|]);
            }
        }
        """);

    [Theory]
    [InlineData("""new X509Certificate2(path, (string?)null)""")]
    [InlineData("""new X509Certificate2(path, "")""")]
    [InlineData("""new X509Certificate2(path, configuration["Certificates:Password"])""")]
    [InlineData("""new X509Certificate2(path, Environment.GetEnvironmentVariable("PFX_PASSWORD"))""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12FromFile(path, password)""")]
    [InlineData("""new X509Certificate2(path, secure)""")]
    [InlineData("""certificate.Export(X509ContentType.Cert)""")]
    [InlineData("""new NetworkCredential("user", "not-a-certificate-password")""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12FromFile(path, Console.ReadLine())""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12FromFile(path, File.ReadAllText("/run/secrets/pfx-password").Trim())""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12FromFile(path, settings.Password)""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12FromFile(path, _passwordFromConstructor)""")]
    [InlineData("""X509CertificateLoader.LoadPkcs12FromFile(path, string.Empty)""")]
    [InlineData("""certificate.Export(X509ContentType.Pfx, password)""")]
    [InlineData("""new X509Certificate2(path, new NetworkCredential("", password).SecurePassword)""")]
    [InlineData("""X509CertificateLoader.LoadCertificateFromFile(path)""")]
    public Task Password_read_at_run_time_or_absent_is_not_reported(string expression) => Verifier.VerifyAsync(Usings + $$"""
        class Settings { public string? Password { get; set; } }
        class C
        {
            private readonly string _passwordFromConstructor;
            private readonly Settings settings;

            C(IConfiguration configuration)
            {
                _passwordFromConstructor = configuration["Certificates:Password"]!;
                settings = new Settings { Password = configuration["Certificates:Password"] };
            }

            object Load(string path, string password, SecureString secure, X509Certificate2 certificate, IConfiguration configuration) => {{expression}};
        }
        """);

    [Fact]
    public Task SecureString_filled_from_input_is_not_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            X509Certificate2 Load(string path)
            {
                var password = new SecureString();
                foreach (var c in Environment.GetEnvironmentVariable("PFX_PASSWORD")!)
                {
                    password.AppendChar(c);
                }

                return new X509Certificate2(path, password);
            }
        }
        """);

    [Fact]
    public Task Local_reassigned_from_the_environment_is_not_reported() => Verifier.VerifyAsync(Usings + """
        class C
        {
            X509Certificate2 Load(string path)
            {
                var password = "placeholder";
                password = Environment.GetEnvironmentVariable("PFX_PASSWORD");
                return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }
        }
        """);
}
