using CertGuard.Cli.Owners;

namespace CertGuard.Cli.Tests.Owners;

public sealed class OwnerMapTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("certs/payments/api.pem", "payments")]
    [InlineData("./certs/payments/deep/er/api.pem", "payments")]
    [InlineData("certs/web/site.pem", "web")]
    [InlineData("certs/web/deeper/site.pem", "keystores")]
    [InlineData("other/trust.jks", "keystores")]
    [InlineData("api.example.com:443", "edge")]
    [InlineData("tls://www.example.com:8443", "edge")]
    [InlineData("example.com:443", null)]
    [InlineData("store:LocalMachine/My", "windows")]
    [InlineData("unrelated/file.crt", null)]
    public void The_first_matching_pattern_names_the_owner(string location, string? owner)
    {
        File.WriteAllText(_dir["owners.yaml"], """
            # first match wins
            certs/payments/**: payments
            certs/web/*.pem: web
            "*.jks": keystores
            "**/site.pem": keystores
            "*.example.com": edge
            store:LocalMachine/*: windows
            """);

        var map = OwnerMap.Load(_dir["owners.yaml"]);

        Assert.Equal(owner, map.Find(location));
    }

    [Fact]
    public void Json_keeps_the_order_of_the_file()
    {
        File.WriteAllText(_dir["owners.json"], """{ "certs/special.pem": "special", "certs/*.pem": "general" }""");

        var map = OwnerMap.Load(_dir["owners.json"]);

        Assert.Equal("special", map.Find("certs/special.pem"));
        Assert.Equal("general", map.Find("certs/other.pem"));
    }

    [Theory]
    [InlineData("owners.json", "[1, 2]")]
    [InlineData("owners.json", "{ \"a\": 1 }")]
    [InlineData("owners.json", "{ broken")]
    [InlineData("owners.yaml", "- a\n- b\n")]
    [InlineData("owners.yaml", "a: [x, y]\n")]
    [InlineData("owners.yaml", "a: b: c\n")]
    public async Task A_malformed_owners_file_is_a_usage_error(string name, string content)
    {
        File.WriteAllText(_dir[name], content);
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());

        var run = await CliRun.RunAsync("scan", _dir["c.pem"], "--owners", _dir[name]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--owners", run.Error);
    }

    [Fact]
    public async Task A_missing_owners_file_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("scan", _dir["c.pem"], "--owners", _dir["nope.yaml"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--owners", run.Error);
    }

    [Fact]
    public async Task Owners_appear_in_every_format()
    {
        TestCertificates.WritePem(_dir["certs/site.pem"], TestCertificates.ExpiringSoon("site.example"));
        File.WriteAllText(_dir["owners.yaml"], "\"**/certs/*.pem\": team-blue\n");

        foreach (var format in new[] { "table", "json", "csv", "markdown", "sarif", "html" })
        {
            var run = await CliRun.RunAsync("scan", _dir["certs"], "--owners", _dir["owners.yaml"], "--format", format);

            Assert.True(run.Out.Contains("team-blue", StringComparison.Ordinal), $"{format}: {run}");
        }
    }
}
