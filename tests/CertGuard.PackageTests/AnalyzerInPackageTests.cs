using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace CertGuard.PackageTests;

/// <summary>
/// Proves the analyzer ships in the CertGuard package, and flows through CertGuard.AspNetCore: a fresh console project
/// that only references one packed package from a local folder feed sees the CG warnings in a plain `dotnet build`.
/// </summary>
[Collection(PackedCollection.Name)]
public sealed partial class AnalyzerInPackageTests
{
    private static readonly TimeSpan _buildTimeout = TimeSpan.FromMinutes(4);
    private readonly PackedCertGuard _package;

    public AnalyzerInPackageTests(PackedCertGuard package) => _package = package;

    [Theory]
    [InlineData("CertGuard")]
    [InlineData("CertGuard.AspNetCore")]
    public async Task Referencing_the_package_reports_every_rule_on_violating_code(string package)
    {
        // Minted now and already expired, so CG1007 fires whatever the date the test runs on.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var expired = new CertificateRequest("CN=expired.example", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        var pem = expired.ExportCertificatePem().Replace("\n", "\\n", StringComparison.Ordinal);

        var output = await BuildConsumerAsync("violating-" + package, package, $$"""
            using System.Net.Http;
            using System.Security.Cryptography.X509Certificates;

            var certificate = new X509Certificate2("certs/server.pfx", "s3cret");
            var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (m, c, chain, errors) => true };
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllFlags;
            var embedded = X509Certificate2.CreateFromPem("{{pem}}");
            System.Console.WriteLine(certificate.Subject + handler + embedded.Subject);
            """);

        var reported = ReportedRules().Matches(output).Select(match => match.Groups["id"].Value).Distinct().Order().ToArray();
        Assert.True(
            reported.SequenceEqual(Enumerable.Range(1001, 7).Select(n => "CG" + n)),
            "expected CG1001..CG1007 in the build output, got [" + string.Join(", ", reported) + "]:\n" + output);
        Assert.DoesNotContain("AD0001", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CS8032", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CertGuard")]
    [InlineData("CertGuard.AspNetCore")]
    public async Task CG1008_warns_about_certificate_files_the_build_ships(string package)
    {
        // Minted now: one expired, one inside the default 365-day window, one far outside it, one not shipped at all.
        var files = new Dictionary<string, byte[]>
        {
            ["certs/expired.crt"] = Encoding.ASCII.GetBytes(Mint("expired.example", -1).ExportCertificatePem()),
            ["certs/soon.der"] = Mint("soon.example", 30).RawData,
            ["certs/resource.cer"] = Mint("resource.example", -3).RawData,
            ["certs/fresh.pem"] = Encoding.ASCII.GetBytes(Mint("fresh.example", 3 * 365).ExportCertificatePem()),
            ["certs/unshipped.crt"] = Encoding.ASCII.GetBytes(Mint("unshipped.example", -1).ExportCertificatePem()),
        };
        const string items = """
            <Content Include="certs/expired.crt" CopyToOutputDirectory="PreserveNewest" />
            <None Include="certs/soon.der" CopyToOutputDirectory="PreserveNewest" />
            <EmbeddedResource Include="certs/resource.cer" />
            <Content Include="certs/fresh.pem" CopyToOutputDirectory="PreserveNewest" />
            <None Include="certs/unshipped.crt" />
            """;

        var output = await BuildConsumerAsync("shipped-" + package, package, "System.Console.WriteLine();", items, files);

        var warnings = Regex.Matches(output, @"warning CG1008: (?<message>[^\[]+)").Select(m => m.Groups["message"].Value.Trim()).Distinct().Order().ToArray();
        Assert.True(warnings.Length == 3, "expected three CG1008 warnings, got:\n" + string.Join("\n", warnings) + "\n" + output);
        Assert.Contains(warnings, w => w.Contains("'expired.example'", StringComparison.Ordinal) && w.Contains("'expired.crt' expired on", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'soon.example'", StringComparison.Ordinal) && w.Contains("'soon.der' expires on", StringComparison.Ordinal) && w.Contains("warning window: 365 days", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'resource.cer' expired on", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("fresh", StringComparison.Ordinal) || w.Contains("unshipped", StringComparison.Ordinal));
        Assert.DoesNotContain("AD0001", output, StringComparison.Ordinal);

        static X509Certificate2 Mint(string name, int expiresInDays)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-400), DateTimeOffset.UtcNow.AddDays(expiresInDays));
        }
    }

    [Fact]
    public async Task Referencing_the_package_reports_nothing_on_safe_code()
    {
        var output = await BuildConsumerAsync("safe", "CertGuard", """
            using System;
            using System.Net.Http;
            using System.Net.Security;
            using System.Security.Cryptography.X509Certificates;

            var path = Environment.GetEnvironmentVariable("CERT_PATH");
            var certificate = path is null ? null : X509CertificateLoader.LoadPkcs12FromFile(path, Environment.GetEnvironmentVariable("CERT_PASSWORD"));
            var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (m, c, chain, errors) => errors == SslPolicyErrors.None };
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.Online;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
            Console.WriteLine(certificate?.Subject + handler);
            """);

        Assert.DoesNotMatch(ReportedRules(), output);
        Assert.DoesNotContain("AD0001", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_aspnetcore_package_depends_on_CertGuard_without_excluding_its_analyzers()
    {
        using var archive = System.IO.Compression.ZipFile.OpenRead(_package.PackagePath("CertGuard.AspNetCore"));
        var nuspecEntry = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var nuspec = System.Xml.Linq.XDocument.Load(stream);

        var dependency = nuspec.Descendants().Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "CertGuard");
        Assert.Equal(_package.Version, (string?)dependency.Attribute("version"));
        Assert.DoesNotContain("Analyzers", (string?)dependency.Attribute("exclude") ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> BuildConsumerAsync(string name, string package, string program, string items = "", IReadOnlyDictionary<string, byte[]>? files = null)
    {
        var directory = Path.Combine(_package.Root, name);
        Directory.CreateDirectory(directory);
        foreach (var (relative, content) in files ?? new Dictionary<string, byte[]>())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(directory, relative))!);
            await File.WriteAllBytesAsync(Path.Combine(directory, relative), content);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NoWarn>$(NoWarn);SYSLIB0057</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{package}" Version="{_package.Version}" />
              </ItemGroup>
              <ItemGroup>
                {items}
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), program);

        // The local feed first; nuget.org stays so CertGuard's dependencies resolve (from the local cache when present).
        await File.WriteAllTextAsync(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="certguard-under-test" value="{_package.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);

        var (exitCode, output) = await DotnetProcess.RunAsync(
            directory, _buildTimeout, null,
            "build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-clp:NoSummary");
        Assert.True(exitCode == 0, "the consumer did not build:\n" + output);
        var assets = await File.ReadAllTextAsync(Path.Combine(directory, "obj", "project.assets.json"));
        Assert.Contains($"\"{package}/{_package.Version}\"", assets, StringComparison.Ordinal);
        Assert.Contains($"\"CertGuard/{_package.Version}\"", assets, StringComparison.Ordinal);
        return output;
    }

    [GeneratedRegex(@"warning (?<id>CG\d{4})")]
    private static partial Regex ReportedRules();
}
