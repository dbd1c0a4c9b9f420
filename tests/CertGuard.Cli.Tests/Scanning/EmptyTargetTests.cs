using System.Text.Json;

namespace CertGuard.Cli.Tests.Scanning;

/// <summary>
/// A directory with no certificate file and a glob that matches nothing are the same mistake (a wrong path, an
/// empty mount): both are a NotFound load error naming the target, so by default both exit 1, never a clean 0.
/// </summary>
public sealed class EmptyTargetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_empty_directory_is_a_not_found_error_naming_it()
    {
        Directory.CreateDirectory(_dir["empty"]);

        var run = await CliRun.RunAsync("scan", _dir["empty"], "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = SingleError(run);
        Assert.Equal(_dir["empty"], error.GetProperty("source").GetString());
        Assert.Equal("NotFound", error.GetProperty("reason").GetString());
        Assert.StartsWith("no certificate file in the directory (looked for **/*.pem, ", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_directory_of_other_files_is_the_same_error()
    {
        _dir.Write("docs/README.md", "no certificates here");

        var run = await CliRun.RunAsync("scan", _dir["docs"], "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("NotFound", SingleError(run).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_empty_directory_and_an_unmatched_glob_exit_alike_under_every_fail_on()
    {
        Directory.CreateDirectory(_dir["empty"]);
        foreach (var failOn in new[] { "unhealthy", "degraded", "never" })
        {
            var directory = await CliRun.RunAsync("scan", _dir["empty"], "--fail-on", failOn);
            var glob = await CliRun.RunAsync("scan", _dir["empty/*.pem"], "--fail-on", failOn);

            Assert.Equal(failOn == "never" ? 0 : 1, directory.ExitCode);
            Assert.Equal(directory.ExitCode, glob.ExitCode);
            Assert.Contains("NotFound", directory.Out);
            Assert.Contains("NotFound", glob.Out);
        }
    }

    [Fact]
    public async Task Every_unmatched_glob_is_reported_not_only_the_first()
    {
        var run = await CliRun.RunAsync("scan", _dir["a/*.pem"], _dir["b/*.pem"], "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var sources = json.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("source").GetString()).ToList();
        Assert.Equal([_dir["a/*.pem"], _dir["b/*.pem"]], sources);
    }

    [Fact]
    public async Task A_directory_with_a_certificate_has_no_such_error()
    {
        TestCertificates.WritePem(_dir["certs/good.pem"], TestCertificates.Healthy());

        var run = await CliRun.RunAsync("scan", _dir["certs"], "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Empty(json.RootElement.GetProperty("errors").EnumerateArray());
    }

    private static JsonElement SingleError(CliRun run)
    {
        using var json = JsonDocument.Parse(run.Out);
        return Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray()).Clone();
    }
}
