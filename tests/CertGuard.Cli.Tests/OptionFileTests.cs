using System.Diagnostics;

namespace CertGuard.Cli.Tests;

/// <summary>
/// Files named by options (<c>--password-file</c>, <c>--owners</c>, <c>--trust</c>) are read within bounds: a pipe or
/// device is refused before it is opened, an oversized or deeply nested file is refused, each a usage error (exit 2)
/// naming the option and the file. The pipes have no writer: opening one for reading would block forever.
/// </summary>
public sealed class OptionFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public OptionFileTests()
    {
        TestCertificates.WritePem(_dir["certs/good.pem"], TestCertificates.Healthy());
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("--password-file")]
    [InlineData("--owners")]
    [InlineData("--trust")]
    public async Task A_named_pipe_is_a_usage_error_naming_it_not_a_hang(string option)
    {
        var pipe = MakeFifo("option.pipe");

        var run = await CliRun.RunAsync("scan", _dir["certs"], option, pipe);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{option} '{pipe}' is a named pipe, not a regular file", run.Error);
        Assert.Equal(string.Empty, run.Out);
    }

    [Theory]
    [InlineData("--password-file")]
    [InlineData("--owners")]
    [InlineData("--trust")]
    public async Task A_device_that_never_ends_is_a_usage_error_naming_it(string option)
    {
        var run = await CliRun.RunAsync("scan", _dir["certs"], option, "/dev/zero");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{option} '/dev/zero' is a device, not a regular file", run.Error);
    }

    [Theory]
    [InlineData("--password-file")]
    [InlineData("--owners")]
    public async Task A_file_one_byte_over_the_cap_is_a_usage_error_naming_it(string option)
    {
        // 1 MiB is accepted as text of the right shape; one more byte is refused before any of it is parsed.
        var file = _dir.Write("big.txt", new string('#', 1024 * 1024 + 1));

        var run = await CliRun.RunAsync("scan", _dir["certs"], option, file);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{option} '{file}' is larger than 1024 KiB", run.Error);
    }

    [Fact]
    public async Task A_password_file_at_the_cap_is_read()
    {
        var file = _dir.Write("passwords.txt", new string('#', 1024 * 1024 - 1) + "\n");

        var run = await CliRun.RunAsync("scan", _dir["certs"], "--password-file", file);

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Owners_yaml_nested_40000_deep_is_a_usage_error_not_a_stack_overflow()
    {
        var file = _dir.Write("owners.yaml", new string('[', 40_000));

        var run = await CliRun.RunAsync("scan", _dir["certs"], "--owners", file);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"--owners '{file}' is not a map from patterns to owner names (nested deeper than 16 levels at line 1)", run.Error);
    }

    [Fact]
    public async Task Owners_yaml_nested_just_within_the_bound_reaches_the_shape_check()
    {
        var file = _dir.Write("owners.yaml", new string('[', 16) + new string(']', 16));

        var run = await CliRun.RunAsync("scan", _dir["certs"], "--owners", file);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("the top level must be a mapping", run.Error);
    }

    [Fact]
    public async Task Owners_json_nested_40000_deep_is_a_usage_error()
    {
        var file = _dir.Write("owners.json", "{\"a\":" + new string('[', 40_000));

        var run = await CliRun.RunAsync("scan", _dir["certs"], "--owners", file);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"--owners '{file}' is not a map", run.Error);
    }

    [Fact]
    public async Task A_directory_given_as_an_option_file_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("scan", _dir["certs"], "--password-file", _dir["certs"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"--password-file '{_dir["certs"]}' is a directory", run.Error);
    }

    private string MakeFifo(string name)
    {
        var path = _dir[name];
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}
