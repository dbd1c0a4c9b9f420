using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.Cli.Tests.Scanning;

/// <summary><c>--clock-skew</c>: a certificate dated a few minutes ahead of this host's clock is a warning, not a failure.</summary>
public sealed class ClockSkewScanTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DateTimeOffset _notBefore;

    public ClockSkewScanTests()
    {
        using var fresh = TestCertificates.Mint("fresh.example", TimeSpan.FromDays(90), TimeSpan.FromDays(90));
        TestCertificates.WritePem(_dir["fresh.pem"], fresh);
        _notBefore = new DateTimeOffset(fresh.NotBefore.ToUniversalTime());
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(180, null, 0, "Degraded", "Warning")]      // 3 min early, default tolerance of 5 min
    [InlineData(301, null, 1, "Unhealthy", "Critical")]    // just beyond the default
    [InlineData(180, "2m", 1, "Unhealthy", "Critical")]
    [InlineData(180, "0", 1, "Unhealthy", "Critical")]
    [InlineData(1500, "30m", 0, "Degraded", "Warning")]
    [InlineData(3000, "1h", 0, "Degraded", "Warning")]
    [InlineData(100, "120s", 0, "Degraded", "Warning")]
    public async Task A_certificate_ahead_of_the_host_clock_is_judged_by_the_tolerance(int secondsEarly, string? clockSkew, int exitCode, string status, string severity)
    {
        var clock = new FakeTimeProvider(_notBefore.AddSeconds(-secondsEarly));
        string[] args = clockSkew is null
            ? ["scan", _dir["fresh.pem"], "--format", "json", "--quiet"]
            : ["scan", _dir["fresh.pem"], "--format", "json", "--quiet", "--clock-skew", clockSkew];
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await new CliApplication(revocationChecker: null, clock).RunAsync(args, new CliConsole(stdout, stderr));

        Assert.True(exit == exitCode, $"exit {exit}\n{stdout}\n{stderr}");
        var certificate = JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("certificates")[0];
        Assert.Equal(status, certificate.GetProperty("status").GetString());
        var notYetValid = certificate.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "not-yet-valid");
        Assert.Equal(severity, notYetValid.GetProperty("severity").GetString());
        if (severity == "Warning")
        {
            Assert.Contains("check the clock", notYetValid.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5m")]
    [InlineData("2d")]
    [InlineData("25h")]
    [InlineData("NaN")]
    public async Task A_bad_clock_skew_is_a_usage_error_naming_the_option(string value)
    {
        var run = await CliRun.RunAsync("scan", _dir["fresh.pem"], "--clock-skew", value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--clock-skew", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Help_lists_the_clock_skew_option()
    {
        var run = await CliRun.RunAsync("scan", "--help");

        Assert.Contains("--clock-skew", run.Out, StringComparison.Ordinal);
    }
}
