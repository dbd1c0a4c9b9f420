using System.Diagnostics;
using System.Text.Json;

namespace CertGuard.Cli.Tests.Scanning;

/// <summary>A file whose name is not valid UTF-8 is scanned and named with its bytes shown, not reported missing.</summary>
public sealed class NonUtf8NameScanTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_certificate_whose_file_name_is_not_utf8_is_loaded_from_a_scanned_directory()
    {
        using var certificate = TestCertificates.Healthy("latin1.example");
        TestCertificates.WritePem(_dir["d/good.pem"], certificate);
        // .NET cannot spell the byte 0xFF in a file name, so the shell makes the copy.
        using (var copy = Process.Start("sh", ["-c", "cp \"$1/good.pem\" \"$1/$(printf 'bad\\377.pem')\"", "sh", _dir["d"]]))
        {
            await copy.WaitForExitAsync();
            Assert.Equal(0, copy.ExitCode);
        }

        var run = await CliRun.RunAsync("scan", _dir["d"], "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Empty(json.GetProperty("errors").EnumerateArray());
        var sources = json.GetProperty("certificates").EnumerateArray().Select(c => c.GetProperty("source").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal([Path.Combine(_dir["d"], "bad\\xff.pem"), Path.Combine(_dir["d"], "good.pem")], sources);
    }
}
