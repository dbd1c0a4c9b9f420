using System.Diagnostics;
using System.Text.Json;

namespace CertGuard.Cli.Tests.Reporting;

/// <summary>
/// <c>--output</c> writes to a temporary file beside the report and renames it over the report on success: a failed
/// write (here a real one, a file-size limit reached mid-report) exits 2, removes the temporary file and leaves the
/// previous report untouched, never a truncated one.
/// </summary>
public sealed class ReportFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_written_report_replaces_the_old_one_and_leaves_no_temporary_file()
    {
        TestCertificates.WritePem(_dir["certs/good.pem"], TestCertificates.Healthy());
        var report = _dir.Write("out/report.json", "old");

        var run = await CliRun.RunAsync("scan", _dir["certs"], "--format", "json", "--output", report);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(1, json.RootElement.GetProperty("certificates").GetArrayLength());
        Assert.Equal([report], Directory.GetFiles(_dir["out"]));
    }

    [Fact]
    public async Task A_report_path_under_a_file_is_exit_2_naming_it()
    {
        TestCertificates.WritePem(_dir["certs/good.pem"], TestCertificates.Healthy());
        var notADirectory = _dir.Write("file.txt", "x");

        var run = await CliRun.RunAsync("scan", _dir["certs"], "--format", "json", "--output", Path.Combine(notADirectory, "report.json"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"cannot write the report to '{Path.Combine(notADirectory, "report.json")}'", run.Error);
        Assert.Equal("x", File.ReadAllText(notADirectory));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    public async Task A_write_that_fails_mid_report_keeps_the_old_report_and_removes_the_temporary_file(string format)
    {
        // Forty certificates make a report of well over 16 KiB; the child may write at most 16 KiB to any file.
        TestCertificates.WritePem(_dir["certs/many.pem"], [.. Enumerable.Range(0, 40).Select(i => TestCertificates.Expired($"c{i}.example"))]);
        var report = _dir.Write("out/report." + format, "previous report");

        var (exitCode, stderr) = await RunToolWithFileSizeLimitAsync(16, "scan", _dir["certs"], "--format", format, "--output", report);

        Assert.True(exitCode == 2, stderr);
        Assert.Contains($"cannot write the report to '{report}'", stderr);
        Assert.Equal("previous report", File.ReadAllText(report));
        Assert.Equal([report], Directory.GetFiles(_dir["out"]));
    }

    [Fact]
    public async Task A_full_disk_mid_report_keeps_the_old_report_and_removes_the_temporary_file()
    {
        // A 64 KiB tmpfs in a private mount namespace: the report dies of ENOSPC, as on a real full disk.
        TestCertificates.WritePem(_dir["certs/many.pem"], [.. Enumerable.Range(0, 200).Select(i => TestCertificates.Expired($"c{i}.example"))]);
        var tool = ToolProcessTests.ToolPath();
        var script = $"""
            set -e
            mount -t tmpfs -o size=64k tmpfs out
            printf 'previous report' > out/report.json
            set +e
            dotnet '{tool}' scan certs --format json --output out/report.json 2>err.txt
            echo "exit=$?"
            echo "report=$(cat out/report.json)"
            echo "files=$(ls -A out | tr '\n' ' ')"
            cat err.txt
            """;
        Directory.CreateDirectory(_dir["out"]);
        var start = new ProcessStartInfo("unshare", ["--map-root-user", "--mount", "bash", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir.Path,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("exit=2\n", output);
        Assert.Contains("report=previous report\n", output);
        Assert.Contains("files=report.json \n", output);
        Assert.Contains("cannot write the report to 'out/report.json'", output);
    }

    /// <summary>Runs the built tool in a child whose files may not grow past <paramref name="kibibytes"/> (SIGXFSZ ignored, so writes fail with EFBIG).</summary>
    private async Task<(int ExitCode, string Stderr)> RunToolWithFileSizeLimitAsync(int kibibytes, params string[] args)
    {
        var tool = ToolProcessTests.ToolPath();
        var quoted = string.Join(' ', args.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var start = new ProcessStartInfo("bash", ["-c", $"trap '' XFSZ; ulimit -f {kibibytes}; exec dotnet '{tool}' {quoted}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir.Path,
        };

        // The runtime's double-mapped code memory is a file too; without it the runtime starts under the limit.
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }
}
