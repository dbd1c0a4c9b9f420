using System.Text.Json;

namespace CertGuard.Cli.Tests.Reporting;

public sealed class SarifReportWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task One_result_per_finding_and_error_with_the_schema_required_properties()
    {
        TestCertificates.WritePem(_dir["repo/certs/old.pem"], TestCertificates.Expired());
        TestCertificates.WritePem(_dir["repo/certs/soon.pem"], TestCertificates.ExpiringSoon());
        File.WriteAllText(_dir["repo/certs/junk.pem"], "junk");

        var run = await CliRun.RunInAsync(_dir["repo"], "scan", "certs", "--format", "sarif");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", root.GetProperty("$schema").GetString());
        var sarifRun = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var driver = sarifRun.GetProperty("tool").GetProperty("driver");
        Assert.Equal("certguard", driver.GetProperty("name").GetString());
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        var ruleIds = rules.Select(r => r.GetProperty("id").GetString()).ToList();
        foreach (var rule in rules)
        {
            Assert.False(string.IsNullOrEmpty(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
        }

        var results = sarifRun.GetProperty("results").EnumerateArray().ToList();

        // expired + self-signed for old.pem, expires-soon + self-signed for soon.pem, load-error for junk.pem.
        Assert.Equal(5, results.Count);
        foreach (var result in results)
        {
            var ruleId = result.GetProperty("ruleId").GetString();
            Assert.Contains(ruleId, ruleIds);
            Assert.Equal(ruleId, rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            Assert.False(string.IsNullOrEmpty(result.GetProperty("message").GetProperty("text").GetString()));
            Assert.Contains(result.GetProperty("level").GetString(), new[] { "error", "warning", "note" });
            var location = Assert.Single(result.GetProperty("locations").EnumerateArray());
            var uri = location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
            Assert.StartsWith("certs/", uri);
        }

        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "expired" && r.GetProperty("level").GetString() == "error"
            && Uri(r) == "certs/old.pem");
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "expires-soon" && r.GetProperty("level").GetString() == "warning"
            && Uri(r) == "certs/soon.pem");
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "load-error" && Uri(r) == "certs/junk.pem");
    }

    [Fact]
    public async Task A_bundle_entry_points_at_its_file_and_a_store_gets_a_logical_location()
    {
        TestCertificates.WritePem(_dir["chain.pem"], TestCertificates.Expired("a"), TestCertificates.Expired("b"));

        var run = await CliRun.RunAsync("scan", _dir["chain.pem"], "store:CurrentUser/CertGuardTestStoreThatDoesNotExist", "--format", "sarif");

        using var json = JsonDocument.Parse(run.Out);
        var results = json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var fileResults = results.Where(r => r.GetProperty("ruleId").GetString() == "expired").ToList();
        Assert.Equal(2, fileResults.Count);
        Assert.All(fileResults, r => Assert.Equal(new Uri(_dir["chain.pem"]).AbsoluteUri, Uri(r)));
        var storeError = Assert.Single(results, r => r.GetProperty("ruleId").GetString() == "load-error");
        var logical = storeError.GetProperty("locations")[0].GetProperty("logicalLocations")[0];
        Assert.Equal("store:CurrentUser/CertGuardTestStoreThatDoesNotExist", logical.GetProperty("fullyQualifiedName").GetString());
    }

    [Fact]
    public async Task A_clean_scan_is_valid_sarif_with_no_results()
    {
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());

        var run = await CliRun.RunAsync("scan", _dir["c.pem"], "--format", "sarif", "--fail-on", "degraded");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var results = json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.All(results, r => Assert.Equal("note", r.GetProperty("level").GetString()));
    }

    [Theory]
    [InlineData("a%41b.pem", "a%2541b.pem")]
    [InlineData("with space.pem", "with%20space.pem")]
    [InlineData("hash#1.pem", "hash%231.pem")]
    [InlineData("caf\u00e9.pem", "caf%C3%A9.pem")]
    public async Task An_absolute_file_uri_points_at_the_very_file_whatever_its_name(string name, string escaped)
    {
        TestCertificates.WritePem(_dir[name], TestCertificates.Expired());

        var run = await CliRun.RunAsync("scan", _dir[name], "--format", "sarif");

        using var json = JsonDocument.Parse(run.Out);
        var result = Assert.Single(json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "expired");
        Assert.Equal($"file://{_dir.Path}/{escaped}", Uri(result));
        Assert.Equal(_dir[name], new Uri(Uri(result)!).LocalPath);
    }

    [Fact]
    public async Task A_relative_file_uri_keeps_percent_signs_escaped()
    {
        TestCertificates.WritePem(_dir["repo/a%41b.pem"], TestCertificates.Expired());

        var run = await CliRun.RunInAsync(_dir["repo"], "scan", "a%41b.pem", "--format", "sarif");

        using var json = JsonDocument.Parse(run.Out);
        var result = Assert.Single(json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "expired");
        Assert.Equal("a%2541b.pem", Uri(result));
    }

    private static string? Uri(JsonElement result) =>
        result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
}
