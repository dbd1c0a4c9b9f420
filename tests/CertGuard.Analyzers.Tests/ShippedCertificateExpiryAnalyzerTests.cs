using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CertGuard.Analyzers.Tests;

/// <summary>CG1008 on real files (minted now) handed over as AdditionalFiles, with and without the shipped marker.</summary>
public sealed class ShippedCertificateExpiryAnalyzerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-cg1008-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("expired.crt", -1, "pem")]
    [InlineData("expired.der", -10, "der")]
    [InlineData("soon.cer", 100, "der")]
    [InlineData("bundle.p7b", 5, "p7b")]
    public async Task Expired_or_expiring_shipped_file_is_a_warning(string name, int expiresInDays, string format)
    {
        var path = Write(name, Encode(Mint("shipped.example", expiresInDays), format));

        var diagnostic = Assert.Single(await AnalyzeAsync((path, true)));

        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("CG1008", diagnostic.Id);
        Assert.Contains("'shipped.example'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(expiresInDays < 0 ? "expired on" : "expires on", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(path, diagnostic.Location.GetLineSpan().Path);
    }

    [Fact]
    public async Task File_outside_the_window_or_not_shipped_is_silent()
    {
        var fresh = Write("fresh.pem", Encode(Mint("fresh.example", 400), "pem"));
        var unshipped = Write("unshipped.pem", Encode(Mint("old.example", -5), "pem"));
        var notCertificate = Write("notes.txt", Encode(Mint("old.example", -5), "pem"));

        Assert.Empty(await AnalyzeAsync((fresh, true), (unshipped, false), (notCertificate, true)));
    }

    [Fact]
    public async Task The_window_is_configurable_in_editorconfig()
    {
        var path = Write("soon.pem", Encode(Mint("soon.example", 40), "pem"));

        Assert.Empty(await AnalyzeAsync(30, (path, true)));
        Assert.Contains("warning window: 60 days", Assert.Single(await AnalyzeAsync(60, (path, true))).GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_protected_pfx_is_an_info_that_names_the_file_and_not_the_password()
    {
        using var certificate = Mint("protected.example", -1);
        var path = Write("protected.pfx", certificate.Export(X509ContentType.Pkcs12, "pfx-secret-123"));

        var diagnostic = Assert.Single(await AnalyzeAsync((path, true)));

        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Contains("'protected.pfx' could not be checked", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain("pfx-secret-123", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_with_a_certificate_extension_is_an_info_not_a_crash()
    {
        var path = Write("broken.crt", RandomNumberGenerator.GetBytes(5000));

        var diagnostic = Assert.Single(await AnalyzeAsync((path, true)));

        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Contains("holds no certificate", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    private static X509Certificate2 Mint(string name, int expiresInDays)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-400), DateTimeOffset.UtcNow.AddDays(expiresInDays));
    }

    private static byte[] Encode(X509Certificate2 certificate, string format) => format switch
    {
        "pem" => Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()),
        "der" => certificate.RawData,
        "p7b" => new X509Certificate2Collection(certificate).Export(X509ContentType.Pkcs7)!,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(params (string Path, bool Shipped)[] files) => AnalyzeAsync(null, files);

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(int? warningDays, params (string Path, bool Shipped)[] files)
    {
        var compilation = CSharpCompilation.Create("Shipped", [CSharpSyntaxTree.ParseText("class C { }")], LocalReferenceAssemblies.All);
        var additional = files.Select(f => (AdditionalText)new FileText(f.Path)).ToImmutableArray();
        var provider = new Options(files.Where(f => f.Shipped).Select(f => f.Path).ToHashSet(), warningDays);
        var options = new AnalyzerOptions(additional, provider);
        return await compilation.WithAnalyzers([new ShippedCertificateExpiryAnalyzer()], options).GetAnalyzerDiagnosticsAsync();
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(path));
    }

    private sealed class Options(HashSet<string> shipped, int? warningDays) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions => new Values(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
        {
            var values = new Dictionary<string, string>();
            if (shipped.Contains(textFile.Path))
            {
                values[ShippedCertificateExpiryAnalyzer.ShippedMetadata] = "true";
            }

            if (warningDays is { } days)
            {
                values["dotnet_diagnostic.CG1008.warning_days"] = days.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return new Values(values);
        }
    }

    private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
