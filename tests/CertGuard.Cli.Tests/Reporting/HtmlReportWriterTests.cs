using System.Diagnostics;

namespace CertGuard.Cli.Tests.Reporting;

public sealed class HtmlReportWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_page_is_self_contained_and_escapes_every_value()
    {
        using var hostile = TestCertificates.Mint("<script>alert(1)</script>", TimeSpan.FromDays(3), TimeSpan.FromDays(90), dnsNames: ["x.example"]);
        TestCertificates.WritePem(_dir["hostile.pem"], hostile);
        File.WriteAllText(_dir["<img src=x>.pem"], "junk");

        var run = await CliRun.RunAsync("scan", _dir["hostile.pem"], _dir["<img src=x>.pem"], "--format", "html");

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("<script>alert", run.Out);
        Assert.DoesNotContain("<img", run.Out);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", run.Out);
        Assert.Contains("&lt;img src=x&gt;.pem", run.Out);
        Assert.DoesNotContain("http://", run.Out);
        Assert.DoesNotContain("https://", run.Out);
        Assert.DoesNotContain(" src=", run.Out.Replace("&lt;img src=x&gt;", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Headless_chromium_shows_the_table_and_the_timeline_with_no_script_errors()
    {
        TestCertificates.WritePem(_dir["certs/expired.pem"], TestCertificates.Expired("expired.example"));
        TestCertificates.WritePem(_dir["certs/week.pem"], TestCertificates.Mint("week.example", TimeSpan.FromDays(3), TimeSpan.FromDays(30)));
        TestCertificates.WritePem(_dir["certs/month.pem"], TestCertificates.Mint("month.example", TimeSpan.FromDays(20), TimeSpan.FromDays(90)));
        TestCertificates.WritePem(_dir["certs/later.pem"], TestCertificates.Healthy("later.example"));
        File.WriteAllText(_dir["certs/junk.pem"], "junk");
        var report = _dir["report.html"];

        var run = await CliRun.RunAsync("scan", _dir["certs"], "--format", "html", "--output", report);
        Assert.True(File.Exists(report), run.ToString());

        var dom = await DumpDomAsync(report);

        Assert.Contains("data-ready=\"true\"", dom);
        Assert.DoesNotContain("data-script-error=\"true\"", dom);
        Assert.Matches("<div id=\"script-errors\" role=\"alert\" hidden(=\"\")?></div>", dom);
        Assert.Contains("id=\"certificate-table\"", dom);
        Assert.Contains("4 of 4 shown", dom);
        foreach (var name in new[] { "expired.example", "week.example", "month.example", "later.example" })
        {
            Assert.Contains(name, dom);
        }

        Assert.Matches("data-bucket=\"expired\"><h3>Expired</h3><div class=\"count\">1</div>", dom);
        Assert.Matches("data-bucket=\"week\"><h3>This week</h3><div class=\"count\">1</div>", dom);
        Assert.Matches("data-bucket=\"month\"><h3>This month</h3><div class=\"count\">1</div>", dom);
        Assert.Matches("data-bucket=\"later\"><h3>Later</h3><div class=\"count\">1</div>", dom);
        Assert.Contains("junk.pem", dom);
    }

    private async Task<string> DumpDomAsync(string htmlPath)
    {
        var profile = _dir["chromium-profile"];
        var start = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--dump-dom", new Uri(htmlPath).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("chromium is not installed: apt-get install -y chromium", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return await output;
        }
    }
}
