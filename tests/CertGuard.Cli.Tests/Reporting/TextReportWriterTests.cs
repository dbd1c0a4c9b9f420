namespace CertGuard.Cli.Tests.Reporting;

/// <summary>The table, CSV and Markdown formats.</summary>
public sealed class TextReportWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Table_lists_soonest_expiry_first_with_errors_and_a_summary_and_no_colour_when_redirected()
    {
        TestCertificates.WritePem(_dir["a-later.pem"], TestCertificates.Healthy("later.example"));
        TestCertificates.WritePem(_dir["b-expired.pem"], TestCertificates.Expired("expired.example"));
        TestCertificates.WritePem(_dir["c-soon.pem"], TestCertificates.ExpiringSoon("soon.example"));
        File.WriteAllText(_dir["d-junk.pem"], "junk");

        var run = await CliRun.RunAsync("scan", _dir.Path);

        var expired = run.Out.IndexOf("expired.example", StringComparison.Ordinal);
        var soon = run.Out.IndexOf("soon.example", StringComparison.Ordinal);
        var later = run.Out.IndexOf("later.example", StringComparison.Ordinal);
        Assert.True(expired >= 0 && expired < soon && soon < later, run.ToString());
        Assert.Contains("d-junk.pem", run.Out);
        Assert.Contains("3 certificate(s): 1 healthy, 1 degraded, 1 unhealthy; 1 load error(s)", run.Out);
        Assert.DoesNotContain("\u001b[", run.Out);
    }

    [Fact]
    public async Task Csv_has_a_header_and_one_properly_escaped_row_per_certificate()
    {
        using var odd = TestCertificates.Mint("a, \"b\"", TimeSpan.FromDays(100), TimeSpan.FromDays(200), dnsNames: ["x.example", "y.example"]);
        TestCertificates.WritePem(_dir["odd.pem"], odd, TestCertificates.Healthy("plain.example"));
        File.WriteAllText(_dir["junk.pem"], "junk");

        var run = await CliRun.RunAsync("scan", _dir["odd.pem"], _dir["junk.pem"], "--format", "csv");

        var rows = ParseCsv(run.Out);
        Assert.Equal(3, rows.Count);
        Assert.Equal("source", rows[0][0]);
        Assert.Equal("findings", rows[0][^1]);
        Assert.All(rows, r => Assert.Equal(19, r.Count));
        Assert.Equal(_dir["odd.pem"] + "#1", rows[1][0]);
        Assert.Equal(odd.Subject, rows[1][1]);
        Assert.Equal("DNS:x.example DNS:y.example", rows[1][12]);
        Assert.Equal("Healthy", rows[1][17]);
        Assert.DoesNotContain("junk", run.Out);
        Assert.Contains("junk.pem", run.Error);
        Assert.Equal(1, run.ExitCode);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://attacker.example\",\"x\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1,2)")]
    [InlineData("\t=1+1")]
    public async Task Csv_text_cells_that_a_spreadsheet_would_run_as_a_formula_are_neutralized(string owner)
    {
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy("plain.example"));
        File.WriteAllText(_dir["owners.json"], System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["c.pem"] = owner }));

        var run = await CliRun.RunAsync("scan", _dir["c.pem"], "--owners", _dir["owners.json"], "--format", "csv");

        var rows = ParseCsv(run.Out);
        Assert.Equal("owner", rows[0][16]);
        Assert.Equal("'" + owner, rows[1][16]);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Csv_numbers_the_tool_writes_stay_numbers()
    {
        TestCertificates.WritePem(_dir["expired.pem"], TestCertificates.Expired("expired.example"));

        var run = await CliRun.RunAsync("scan", _dir["expired.pem"], "--format", "csv");

        var daysRemaining = ParseCsv(run.Out)[1][7];
        Assert.StartsWith("-", daysRemaining);
        Assert.True(int.TryParse(daysRemaining, System.Globalization.CultureInfo.InvariantCulture, out _), daysRemaining);
    }

    [Fact]
    public async Task Markdown_is_a_table_with_cells_escaped()
    {
        using var odd = TestCertificates.Mint("pipe|<b>x</b>", TimeSpan.FromDays(100), TimeSpan.FromDays(200), dnsNames: ["x.example"]);
        TestCertificates.WritePem(_dir["odd.pem"], odd);
        File.WriteAllText(_dir["junk.pem"], "junk");

        var run = await CliRun.RunAsync("scan", _dir["odd.pem"], _dir["junk.pem"], "--format", "markdown");

        Assert.Contains("| Status | Expires | Days | Subject | Source | Owner | Key | Hash | Findings |", run.Out);
        Assert.Contains("pipe\\|&lt;b&gt;x&lt;/b&gt;", run.Out);
        Assert.DoesNotContain("<b>", run.Out);
        Assert.Contains("## Load errors", run.Out);
        var row = run.Out.Split('\n').Single(l => l.Contains("pipe", StringComparison.Ordinal));
        // Nine cells between ten unescaped pipes: the escaped pipe in the subject does not split a cell.
        Assert.Equal(11, System.Text.RegularExpressions.Regex.Split(row, @"(?<!\\)\|").Length);
    }

    /// <summary>An RFC 4180 reader, independent of the writer under test.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
