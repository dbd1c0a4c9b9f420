using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CertGuard.Samples.WebApi.Tests;

/// <summary>Issue 15, item 1: a broken entry stops the sample at start, naming the setting; never the demo set instead.</summary>
public sealed class ConfigurationTypoTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-sample-typo-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_single_broken_entry_fails_the_start_instead_of_falling_back_to_the_demo_set()
    {
        var expired = SampleHost.WritePem(_directory, "expired.example", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(-5));
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("CertGuard:Certificates:0:Path", expired);
            builder.UseSetting("CertGuard:Certificates:0:Trust", "Sytem");
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("CertGuard:Certificates:0:Trust is 'Sytem', which is not one of: None, System, Custom.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sample_process_exits_non_zero_and_names_the_setting()
    {
        var expired = SampleHost.WritePem(_directory, "expired.example", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(-5));
        var start = new ProcessStartInfo("dotnet", [SampleAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["CertGuard__Certificates__0__Path"] = expired;
        start.Environment["CertGuard__Certificates__0__Timeout"] = "ten seconds";
        start.Environment["CertGuard__Certificates__0__Password"] = "Hunter2-secret";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(hangGuard.Token);
        var text = await output + await errors;

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("CertGuard:Certificates:0:Timeout is 'ten seconds', which is not a time span", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2-secret", text, StringComparison.Ordinal);
    }

    /// <summary>The sample's own build output, beside this test project's (same configuration and framework).</summary>
    private static string SampleAssembly()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CertGuard.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root!.FullName, "samples", "CertGuard.Samples.WebApi", "bin", configuration, framework, "CertGuard.Samples.WebApi.dll");
        Assert.True(File.Exists(path), $"the sample is built at {path}");
        return path;
    }
}
