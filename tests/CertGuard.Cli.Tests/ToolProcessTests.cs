using System.Diagnostics;
using System.Text.Json;

namespace CertGuard.Cli.Tests;

/// <summary>The tool as users run it: a separate process, and a package installed with <c>dotnet tool install</c>.</summary>
public sealed class ToolProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_built_tool_runs_as_a_process_with_redirected_streams()
    {
        TestCertificates.WritePem(_dir["certs/good.pem"], TestCertificates.Healthy("good.example"));
        TestCertificates.WritePem(_dir["certs/old.pem"], TestCertificates.Expired("old.example"));
        var tool = ToolPath();

        var (exitCode, stdout, stderr) = await RunAsync("dotnet", [tool, "scan", _dir["certs"], "--format", "json"], _dir.Path);

        Assert.True(exitCode == 1, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("certificates").GetArrayLength());
        Assert.Equal(string.Empty, stderr);

        var usage = await RunAsync("dotnet", [tool, "scan", _dir["certs"], "--format", "nope"], _dir.Path);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--format", usage.Stderr);
    }

    [Fact]
    public async Task Help_names_the_command_certguard_not_the_project()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var tool = Path.Combine(RepositoryRoot(), "src", "CertGuard.Cli", "bin", configuration, "net10.0", "CertGuard.Cli.dll");

        var help = await RunAsync("dotnet", [tool, "--help"], _dir.Path);

        Assert.True(help.ExitCode == 0, help.Stdout + help.Stderr);
        Assert.Contains("Usage:\n  certguard [command] [options]", help.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("CertGuard.Cli", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_package_installs_as_a_dotnet_tool_and_scans_a_directory()
    {
        var repository = RepositoryRoot();
        var feed = _dir["feed"];
        var tools = _dir["tools"];
        var version = "0.0.1-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        TestCertificates.WritePem(_dir["certs/site.pem"], TestCertificates.Healthy("site.example"));

        var pack = await RunAsync("dotnet", ["pack", Path.Combine(repository, "src", "CertGuard.Cli"), "-o", feed, $"-p:PackageVersion={version}", "--nologo"], repository);
        Assert.True(pack.ExitCode == 0, pack.Stdout + pack.Stderr);

        // A private package cache keeps the test package out of the machine's cache.
        var install = await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "CertGuard.Cli", "--version", version], _dir.Path,
            ("NUGET_PACKAGES", _dir["nuget-cache"]));
        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);

        var scan = await RunAsync(Path.Combine(tools, "certguard"), ["scan", _dir["certs"], "--format", "json"], _dir.Path);
        Assert.True(scan.ExitCode == 0, scan.Stdout + scan.Stderr);
        Assert.Contains("CN=site.example", scan.Stdout);

        var help = await RunAsync(Path.Combine(tools, "certguard"), ["--help"], _dir.Path);
        Assert.Contains("certguard [command] [options]", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("CertGuard.Cli", help.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The built tool in its own output folder, with its own dependencies (the test folder resolves some from ASP.NET Core instead).</summary>
    internal static string ToolPath()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(RepositoryRoot(), "src", "CertGuard.Cli", "bin", configuration, "net10.0", "CertGuard.Cli.dll");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CertGuard.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CertGuard.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, string[] arguments, string workingDirectory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
