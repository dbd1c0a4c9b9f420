using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

    private async Task<string> BuildConsumerAsync(string name, string package, string program)
    {
        var directory = Path.Combine(_package.Root, name);
        Directory.CreateDirectory(directory);
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
