using System.Diagnostics;
using System.Net;

namespace CertGuard.Samples.WebApi.Tests;

/// <summary>
/// The demo set lives in a folder under the temporary directory: removed when the host shuts down, and a temporary
/// directory that cannot take it stops start-up with a message naming it. TMPDIR points each test at its own folder.
/// </summary>
public sealed class DemoFolderTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("certguard-sample-tmp-").FullName;
    private readonly string? _previousTemp = Environment.GetEnvironmentVariable("TMPDIR");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TMPDIR", _previousTemp);
        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public async Task The_demo_folder_is_removed_when_the_host_shuts_down()
    {
        Environment.SetEnvironmentVariable("TMPDIR", _temp);
        string demo;
        await using (var factory = SampleHost.Create())
        {
            using var client = factory.CreateClient();
            await SampleHost.GetUntilAsync(client, "/health/details", (_, body) => body.Contains("expiring.demo.certguard", StringComparison.Ordinal));
            demo = Assert.Single(Directory.GetDirectories(_temp, "certguard-demo-*"));
            Assert.Equal(["expiring.pem", "healthy.pem"], Directory.GetFiles(demo).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }

        // The minimal-hosting entry point disposes the host on its own thread after the factory stops it: wait for that.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Directory.Exists(demo) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(Directory.Exists(demo), demo);
        Assert.Empty(Directory.GetFileSystemEntries(_temp));
    }

    [Fact]
    public async Task A_temporary_directory_that_cannot_be_written_stops_start_up_with_a_message_naming_it()
    {
        var notADirectory = Path.Combine(_temp, "file");
        File.WriteAllText(notADirectory, "x");
        Environment.SetEnvironmentVariable("TMPDIR", notADirectory);
        await using var factory = SampleHost.Create();

        var exception = Record.Exception(() => factory.CreateClient());

        var message = AllMessages(exception);
        Assert.Contains($"The CertGuard sample cannot write its demo certificates to the temporary directory '{notADirectory}/'", message);
        Assert.Contains("point TMPDIR at a writable directory, or configure CertGuard:Certificates", message);
    }

    [Fact]
    public async Task A_full_temporary_directory_stops_the_real_process_with_the_message_and_leaves_no_folder()
    {
        // A 16 KiB tmpfs, filled, in a private mount namespace: the first certificate write dies of ENOSPC.
        var sample = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "CertGuard.Samples.WebApi.dll");
        var script = $"""
            set -e
            mkdir -p full
            mount -t tmpfs -o size=16k tmpfs full
            dd if=/dev/zero of=full/filler bs=1k count=64 2>/dev/null || true
            set +e
            TMPDIR="$PWD/full" ASPNETCORE_URLS=http://127.0.0.1:0 timeout 60 dotnet '{sample}' >out.txt 2>&1
            echo "exit=$?"
            echo "left=$(ls -A full | tr '\n' ' ')"
            cat out.txt
            """;
        var start = new ProcessStartInfo("unshare", ["--map-root-user", "--mount", "bash", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _temp,
        };
        start.Environment.Remove("TMPDIR");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(process.ExitCode == 0, output);
        Assert.DoesNotContain("exit=0\n", output);
        Assert.DoesNotContain("exit=124\n", output); // not a hang ended by timeout
        Assert.Contains("left=filler \n", output);
        Assert.Contains("The CertGuard sample cannot write its demo certificates to the temporary directory", output);
        Assert.Contains("No space left on device", output);
    }

    private static string AllMessages(Exception? exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }
}
