using System.Net;
using CertGuard.AspNetCore.Tests.Fixtures;

namespace CertGuard.Cli.Tests.Reporting;

/// <summary>
/// Text from certificates, file names and TLS peers reaches people through the table, standard error and the HTML
/// page: control characters and bidirectional overrides are shown as escapes, never passed to the terminal or browser.
/// </summary>
public sealed class UntrustedTextTests : IDisposable
{
    // Sets the window title and clears the screen when a terminal receives it raw.
    private const string TerminalAttack = "\u001b]0;PWNED\u0007\u001b[2J";
    private const string TerminalAttackShown = "\\x1b]0;PWNED\\x07\\x1b[2J";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_subject_with_escape_sequences_reaches_the_table_escaped()
    {
        using var hostile = TestCertificates.Mint(TerminalAttack + "x", TimeSpan.FromDays(200), TimeSpan.FromDays(365), dnsNames: ["x.example"]);
        TestCertificates.WritePem(_dir["hostile.pem"], hostile);

        var run = await CliRun.RunAsync("scan", _dir["hostile.pem"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(TerminalAttackShown + "x", run.Out);
        AssertNoControlCharacters(run.Out);
    }

    [Fact]
    public async Task A_subject_served_by_a_remote_tls_server_reaches_the_table_escaped()
    {
        using var hostile = TestCertificates.Mint(TerminalAttack + "peer", TimeSpan.FromDays(60), TimeSpan.FromDays(90), dnsNames: ["peer.test"]);
        await using var server = await TlsTestServer.StartAsync(hostile);

        var run = await CliRun.RunAsync("scan", server.Endpoint, "--fail-on", "never", "--revocation", "off");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(TerminalAttackShown + "peer", run.Out);
        AssertNoControlCharacters(run.Out);
    }

    [Fact]
    public async Task A_right_to_left_override_in_a_subject_is_shown_not_obeyed_in_the_table()
    {
        using var hostile = TestCertificates.Mint("invoice\u202efdp.exe", TimeSpan.FromDays(200), TimeSpan.FromDays(365), dnsNames: ["x.example"]);
        TestCertificates.WritePem(_dir["rlo.pem"], hostile);

        var run = await CliRun.RunAsync("scan", _dir["rlo.pem"]);

        Assert.Contains("invoice\\u202efdp.exe", run.Out);
        Assert.DoesNotContain('\u202e', run.Out);
    }

    [Fact]
    public async Task A_file_name_with_escape_sequences_reaches_standard_error_escaped()
    {
        // CSV has no place for load errors, so they go to standard error.
        var missing = _dir[$"gone{TerminalAttack}.pem"];

        var run = await CliRun.RunAsync("scan", missing, "--format", "csv");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"gone{TerminalAttackShown}.pem", run.Error);
        Assert.Contains("NotFound", run.Error);
        AssertNoControlCharacters(run.Error);
    }

    [Fact]
    public async Task A_usage_error_naming_a_hostile_file_is_escaped()
    {
        var run = await CliRun.RunAsync("scan", _dir.Path, "--owners", _dir[$"owners{TerminalAttack}.yaml"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"owners{TerminalAttackShown}.yaml", run.Error);
        AssertNoControlCharacters(run.Error);
    }

    [Fact]
    public async Task The_html_report_isolates_untrusted_text_and_shows_its_control_characters()
    {
        using var hostile = TestCertificates.Mint("invoice\u202efdp.exe", TimeSpan.FromDays(200), TimeSpan.FromDays(365), dnsNames: ["x.example"]);
        TestCertificates.WritePem(_dir["rlo.pem"], hostile);
        File.WriteAllText(_dir[$"junk{TerminalAttack}.pem"], "junk");

        var run = await CliRun.RunAsync("scan", _dir["rlo.pem"], _dir[$"junk{TerminalAttack}.pem"], "--format", "html");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.DoesNotContain('\u202e', run.Out);
        AssertNoControlCharacters(run.Out);
        // In the table and the timeline, isolated so it cannot reorder the date beside it.
        Assert.Contains("<td title=\"CN=invoice\\u202efdp.exe\"><bdi>invoice\\u202efdp.exe</bdi></td>", run.Out);
        Assert.Contains("<span class=\"Healthy\"><bdi>invoice\\u202efdp.exe</bdi></span>", run.Out);
        Assert.Contains($"<td><bdi>{System.Net.WebUtility.HtmlEncode(_dir[$"junk{TerminalAttackShown}.pem"])}</bdi></td>", run.Out);
    }

    [Fact]
    public async Task A_20000_character_subject_is_cut_with_an_ellipsis_and_every_column_keeps_its_values()
    {
        using var huge = TestCertificates.Mint(new string('W', 20_000), TimeSpan.FromDays(200), TimeSpan.FromDays(365), dnsNames: ["x.example"]);
        using var normal = TestCertificates.Mint("normal.example", TimeSpan.FromDays(100), TimeSpan.FromDays(365));
        TestCertificates.WritePem(_dir["huge.pem"], huge);
        TestCertificates.WritePem(_dir["normal.pem"], normal);

        var run = await CliRun.RunAsync("scan", _dir["huge.pem"], _dir["normal.pem"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= 240, $"{line.Length} characters: {line[..Math.Min(line.Length, 300)]}"));
        var hugeRow = Assert.Single(lines, l => l.Contains("WWWW", StringComparison.Ordinal));
        var normalRow = Assert.Single(lines, l => l.Contains("normal.example", StringComparison.Ordinal));
        Assert.Contains(new string('W', 39) + "\u2026", hugeRow);
        Assert.DoesNotContain(new string('W', 40), hugeRow);
        var hugeCells = hugeRow.Split('|').Select(c => c.Trim()).ToArray();
        var normalCells = normalRow.Split('|').Select(c => c.Trim()).ToArray();

        // Nine cells between ten borders, every one filled: Status, Key, Hash and Findings read as for a short subject.
        Assert.Equal(11, hugeCells.Length);
        Assert.All(hugeCells[1..^1], cell => Assert.NotEqual(string.Empty, cell));
        Assert.Equal("Healthy", hugeCells[1]);
        Assert.Equal(normalCells[1], hugeCells[1]);
        Assert.Equal(normalCells[7..], hugeCells[7..]);
    }

    [Fact]
    public async Task A_long_path_keeps_its_file_name_when_cut()
    {
        var deep = _dir[Path.Combine(new string('d', 100), "site.pem")];
        TestCertificates.WritePem(deep, TestCertificates.Healthy("site.example"));

        var run = await CliRun.RunAsync("scan", deep);

        var row = Assert.Single(run.Out.Split('\n'), l => l.Contains("site.example", StringComparison.Ordinal));
        Assert.Contains("\u2026", row);
        Assert.Contains("dddd/site.pem", row);
        Assert.Contains("Healthy", row);
    }

    private static void AssertNoControlCharacters(string text)
    {
        var unsafeCharacter = text.FirstOrDefault(c => (c < ' ' && c is not '\n' and not '\r') || c is >= '\u007f' and <= '\u009f' || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069');
        Assert.True(unsafeCharacter == default, $"U+{(int)unsafeCharacter:X4} reached the output");
    }
}
