using System.Diagnostics;
using System.Text.Json;

namespace CertGuard.Cli.Tests.Scanning;

/// <summary>
/// Issue 12 item 6: one unreadable subfolder is an AccessDenied error naming it, and the rest is scanned. CI runs as
/// root, which reads everything, so the built tool runs as the unprivileged user 65534 (setpriv) for the check to happen.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnreadableSubfolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        File.SetUnixFileMode(_dir["m/closed"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _dir.Dispose();
    }

    [Fact]
    public async Task An_unreadable_subfolder_is_named_and_the_rest_is_scanned()
    {
        TestCertificates.WritePem(_dir["m/open/good.pem"], TestCertificates.Healthy("good.example"));
        TestCertificates.WritePem(_dir["m/closed/hidden.pem"], TestCertificates.Healthy("hidden.example"));
        foreach (var path in new[] { _dir.Path, _dir["m"], _dir["m/open"] })
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        File.SetUnixFileMode(_dir["m/open/good.pem"], (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(_dir["m/closed"], UnixFileMode.None);

        var (exitCode, stdout, stderr) = await RunAsNobodyAsync(Tool(), "scan", _dir["m"], "--format", "json");

        using var json = JsonDocument.Parse(stdout);
        var certificates = json.RootElement.GetProperty("certificates");
        Assert.True(certificates.GetArrayLength() == 1, $"exit {exitCode}: {stdout}\n{stderr}");
        Assert.Contains("good.example", certificates[0].GetRawText());
        var error = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Contains("AccessDenied", error.GetRawText());
        Assert.Contains(JsonEncodedText.Encode(Path.Combine(_dir["m"], "closed")).ToString(), error.GetRawText());
    }

    private static string Tool()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CertGuard.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory!.FullName, "src", "CertGuard.Cli", "bin", configuration, "net10.0", "CertGuard.Cli.dll");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsNobodyAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", tool, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // A hang guard only.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
