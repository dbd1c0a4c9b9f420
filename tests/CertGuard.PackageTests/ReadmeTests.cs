using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CertGuard.PackageTests;

/// <summary>
/// The README cannot rot: every C# program block marked <c>&lt;!-- readme-program: name ... --&gt;</c> builds in a new
/// project against the packed packages from a local folder feed (through the README's own nuget.config), and every
/// command of the block marked <c>&lt;!-- readme-commands: cli --&gt;</c> runs with the installed tool against
/// certificates minted now, with the exit code its comment gives.
/// </summary>
[Collection(PackedCollection.Name)]
public sealed partial class ReadmeTests
{
    private const string FeedPlaceholder = "/path/to/certguard/artifacts";
    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(5);
    private static readonly string _repositoryRoot = typeof(ReadmeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    private readonly PackedCertGuard _package;

    public ReadmeTests(PackedCertGuard package) => _package = package;

    public static TheoryData<string> ProgramNames => new(ProgramBlocks().Select(block => block.Name));

    private static string Readme => File.ReadAllText(Path.Combine(_repositoryRoot, "README.md"));

    [Fact]
    public void The_readme_marks_its_programs_and_commands()
    {
        Assert.True(ProgramBlocks().Count >= 3, "expected at least three marked program blocks");
        Assert.Equal(ProgramBlocks().Count, ProgramBlocks().Select(block => block.Name).Distinct().Count());
        Assert.NotEmpty(CliCommands());
        Assert.Contains(FeedPlaceholder, NuGetConfig(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_package_table_gives_the_versions_the_repository_builds_with()
    {
        var central = XDocument.Load(Path.Combine(_repositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var version = XDocument.Load(Path.Combine(_repositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value;
        var table = PackageTable();

        Assert.Equal(version, table["CertGuard"]);
        Assert.Equal(version, table["CertGuard.AspNetCore"]);
        foreach (var (package, tableVersion) in table.Where(row => !row.Key.StartsWith("CertGuard", StringComparison.Ordinal)))
        {
            Assert.Equal(central[package], tableVersion);
        }

        // Every package a program block needs is in the table.
        Assert.All(ProgramBlocks().SelectMany(block => block.Packages), package => Assert.True(table.ContainsKey(package), package + " is not in the README's package table"));
    }

    [Theory]
    [MemberData(nameof(ProgramNames))]
    public async Task A_readme_program_builds_against_the_packed_packages(string name)
    {
        var block = ProgramBlocks().Single(b => b.Name == name);
        var table = PackageTable();
        var directory = Path.Combine(_package.Root, "readme-" + name);
        Directory.CreateDirectory(directory);
        var references = string.Join("\n", block.Packages.Select(package =>
            $"""    <PackageReference Include="{package}" Version="{(package.StartsWith("CertGuard", StringComparison.Ordinal) ? _package.Version : table[package])}" />"""));
        await File.WriteAllTextAsync(Path.Combine(directory, "readme-" + name + ".csproj"), $"""
            <Project Sdk="{(block.Web ? "Microsoft.NET.Sdk.Web" : "Microsoft.NET.Sdk")}">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), block.Code);
        await File.WriteAllTextAsync(Path.Combine(directory, "nuget.config"), NuGetConfig().Replace(FeedPlaceholder, _package.Feed, StringComparison.Ordinal));

        var (exitCode, output) = await DotnetProcess.RunAsync(directory, _timeout, null,
            "build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-clp:NoSummary");

        Assert.True(exitCode == 0, $"the README's '{name}' program does not build from the packages:\n{output}");
        var assets = await File.ReadAllTextAsync(Path.Combine(directory, "obj", "project.assets.json"));
        Assert.Contains($"\"CertGuard/{_package.Version}\"", assets, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readme_cli_commands_run_with_the_installed_tool_and_exit_as_their_comments_say()
    {
        var directory = Path.Combine(_package.Root, "readme-cli");
        var tools = Path.Combine(directory, "tools");
        Directory.CreateDirectory(Path.Combine(directory, "certs"));
        var now = DateTimeOffset.UtcNow;
        WritePem(Path.Combine(directory, "certs", "healthy.pem"), "healthy.readme.test", now.AddDays(-30), now.AddDays(60));
        WritePem(Path.Combine(directory, "certs", "expiring.pem"), "expiring.readme.test", now.AddDays(-80), now.AddDays(10));

        var install = await DotnetProcess.RunAsync(directory, _timeout, null,
            "tool", "install", "--tool-path", tools, "--add-source", _package.Feed, "CertGuard.Cli", "--version", _package.Version);
        Assert.True(install.ExitCode == 0, "the tool did not install:\n" + install.Output);
        var certguard = Path.Combine(tools, "certguard");

        var help = await DotnetProcess.RunProgramAsync(certguard, directory, _timeout, null, "--help");
        Assert.True(help.ExitCode == 0, help.Output);
        Assert.Contains("certguard [command] [options]", help.Output, StringComparison.Ordinal);

        var commands = CliCommands();
        foreach (var command in commands)
        {
            Assert.Equal("certguard", command.Arguments[0]);
            var (exitCode, output) = await DotnetProcess.RunProgramAsync(certguard, directory, _timeout, null, [.. command.Arguments.Skip(1)]);

            Assert.True(exitCode == command.ExpectedExitCode, $"'{command.Line}' exited {exitCode}, the README says {command.ExpectedExitCode}:\n{output}");
            var outputIndex = command.Arguments.IndexOf("--output");
            if (outputIndex > 0)
            {
                var file = Path.Combine(directory, command.Arguments[outputIndex + 1]);
                Assert.True(File.Exists(file) && new FileInfo(file).Length > 0, $"'{command.Line}' wrote no {file}");
                if (file.EndsWith(".json", StringComparison.Ordinal) || file.EndsWith(".sarif", StringComparison.Ordinal))
                {
                    using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
                    Assert.Contains("readme.test", json.RootElement.GetRawText(), StringComparison.Ordinal);
                }
            }
            else
            {
                Assert.Contains("expiring.readme.test", output, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_CertGuard_package_carries_every_rule_page()
    {
        var pages = Directory.EnumerateFiles(Path.Combine(_repositoryRoot, "docs", "rules"), "CG*.md").Select(Path.GetFileName).Order().ToArray();
        using var archive = ZipFile.OpenRead(_package.PackagePath("CertGuard"));
        var packed = archive.Entries.Where(e => e.FullName.StartsWith("docs/rules/", StringComparison.Ordinal)).Select(e => e.Name).Order().ToArray();

        Assert.NotEmpty(pages);
        Assert.Equal(pages, packed);
    }

    private static List<ProgramBlock> ProgramBlocks() =>
        [.. ProgramBlockPattern().Matches(Readme).Select(match => new ProgramBlock(
            match.Groups["name"].Value,
            match.Groups["sdk"].Value == "web",
            match.Groups["packages"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            match.Groups["code"].Value))];

    private static List<CliCommand> CliCommands()
    {
        var block = CommandBlockPattern().Match(Readme);
        Assert.True(block.Success, "the README has no <!-- readme-commands: cli --> block");
        var commands = new List<CliCommand>();
        foreach (var line in block.Groups["commands"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var exit = ExitComment().Match(line);
            Assert.True(exit.Success, $"the README's command '{line}' does not say its exit code (# exit N)");
            var command = line[..line.IndexOf(" #", StringComparison.Ordinal)].Trim();
            commands.Add(new CliCommand(line, [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries)], int.Parse(exit.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        return commands;
    }

    private static string NuGetConfig()
    {
        var match = NuGetConfigPattern().Match(Readme);
        Assert.True(match.Success, "the README has no <!-- readme-nuget-config --> block");
        return match.Groups["xml"].Value;
    }

    private static Dictionary<string, string> PackageTable() =>
        PackageRow().Matches(Readme).ToDictionary(m => m.Groups["package"].Value, m => m.Groups["version"].Value);

    private static void WritePem(string path, string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(commonName);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(path, certificate.ExportCertificatePem());
    }

    [GeneratedRegex(@"<!-- readme-program: (?<name>[a-z0-9-]+) sdk=(?<sdk>web|console) packages=(?<packages>[A-Za-z0-9.,]+) -->\s*\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ProgramBlockPattern();

    [GeneratedRegex(@"<!-- readme-commands: cli -->\s*\n```sh\n(?<commands>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CommandBlockPattern();

    [GeneratedRegex(@"<!-- readme-nuget-config -->\s*\n```xml\n(?<xml>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex NuGetConfigPattern();

    [GeneratedRegex(@"#\s*exit (?<code>\d+)")]
    private static partial Regex ExitComment();

    [GeneratedRegex(@"^\| `(?<package>[A-Za-z.]+)` \| (?<version>\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?) \|", RegexOptions.Multiline)]
    private static partial Regex PackageRow();

    private sealed record ProgramBlock(string Name, bool Web, IReadOnlyList<string> Packages, string Code);

    private sealed record CliCommand(string Line, List<string> Arguments, int ExpectedExitCode);
}
