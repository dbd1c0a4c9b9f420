using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace CertGuard.Cli.Tests.Reporting;

public sealed class JsonReportWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_field_of_the_contract_is_present_in_order_with_the_right_value()
    {
        using var certificate = TestCertificates.Mint("api.example.com", TimeSpan.FromDays(100), TimeSpan.FromDays(200), rsa: true, dnsNames: ["api.example.com", "www.example.com"]);
        TestCertificates.WritePem(_dir["api.pem"], certificate);
        File.WriteAllText(_dir["owners.yaml"], "\"**/api.pem\": web-team\n");

        var run = await CliRun.RunAsync("scan", _dir["api.pem"], "--format", "json", "--owners", _dir["owners.yaml"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(["certificates", "errors"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var entry = Assert.Single(json.RootElement.GetProperty("certificates").EnumerateArray());
        Assert.Equal(
            ["source", "subject", "issuer", "serialNumber", "thumbprintSha256", "notBefore", "notAfter", "daysRemaining", "keyAlgorithm",
             "keySize", "signatureAlgorithm", "signatureHashAlgorithm", "subjectAlternativeNames", "isCertificateAuthority", "isSelfSigned",
             "hasPrivateKey", "owner", "status", "findings"],
            entry.EnumerateObject().Select(p => p.Name));

        Assert.Equal(_dir["api.pem"], entry.GetProperty("source").GetString());
        Assert.Equal("CN=api.example.com", entry.GetProperty("subject").GetString());
        Assert.Equal("CN=api.example.com", entry.GetProperty("issuer").GetString());
        Assert.Equal(certificate.SerialNumber, entry.GetProperty("serialNumber").GetString());
        Assert.Matches("^[0-9A-F]+$", entry.GetProperty("serialNumber").GetString());
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256), entry.GetProperty("thumbprintSha256").GetString());
        Assert.Equal(Iso(certificate.NotBefore), entry.GetProperty("notBefore").GetString());
        Assert.Equal(Iso(certificate.NotAfter), entry.GetProperty("notAfter").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", entry.GetProperty("notAfter").GetString());
        Assert.InRange(entry.GetProperty("daysRemaining").GetInt32(), 98, 100);
        Assert.Equal("RSA", entry.GetProperty("keyAlgorithm").GetString());
        Assert.Equal(2048, entry.GetProperty("keySize").GetInt32());
        Assert.Equal("sha256WithRSAEncryption", entry.GetProperty("signatureAlgorithm").GetString());
        Assert.Equal("sha256", entry.GetProperty("signatureHashAlgorithm").GetString());
        Assert.Equal(["DNS:api.example.com", "DNS:www.example.com"], entry.GetProperty("subjectAlternativeNames").EnumerateArray().Select(e => e.GetString()));
        Assert.False(entry.GetProperty("isCertificateAuthority").GetBoolean());
        Assert.True(entry.GetProperty("isSelfSigned").GetBoolean());
        Assert.False(entry.GetProperty("hasPrivateKey").GetBoolean());
        Assert.Equal("web-team", entry.GetProperty("owner").GetString());
        Assert.Equal("Healthy", entry.GetProperty("status").GetString());
        var finding = Assert.Single(entry.GetProperty("findings").EnumerateArray());
        Assert.Equal(["id", "severity", "message"], finding.EnumerateObject().Select(p => p.Name));
        Assert.Equal("self-signed", finding.GetProperty("id").GetString());
        Assert.Equal("Info", finding.GetProperty("severity").GetString());
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("message").GetString()));
        Assert.Empty(json.RootElement.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Ecdsa_keys_unknown_owners_and_findings_of_an_expired_certificate()
    {
        TestCertificates.WritePem(_dir["old.pem"], TestCertificates.Expired());

        var run = await CliRun.RunAsync("scan", _dir["old.pem"], "--format", "json");

        using var json = JsonDocument.Parse(run.Out);
        var entry = Assert.Single(json.RootElement.GetProperty("certificates").EnumerateArray());
        Assert.Equal("ECDSA", entry.GetProperty("keyAlgorithm").GetString());
        Assert.Equal(256, entry.GetProperty("keySize").GetInt32());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("owner").ValueKind);
        Assert.Equal("Unhealthy", entry.GetProperty("status").GetString());
        Assert.InRange(entry.GetProperty("daysRemaining").GetInt32(), -11, -10);
        var first = entry.GetProperty("findings")[0];
        Assert.Equal("expired", first.GetProperty("id").GetString());
        Assert.Equal("Critical", first.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Errors_have_source_reason_and_message()
    {
        File.WriteAllText(_dir["junk.crt"], "hello");

        var run = await CliRun.RunAsync("scan", _dir["junk.crt"], "--format", "json");

        using var json = JsonDocument.Parse(run.Out);
        var error = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(["source", "reason", "message"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal(_dir["junk.crt"], error.GetProperty("source").GetString());
        Assert.Equal("UnrecognizedFormat", error.GetProperty("reason").GetString());
        Assert.NotEmpty(error.GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task Text_that_needs_escaping_round_trips()
    {
        using var certificate = TestCertificates.Mint("q\"uote<tag>&ü", TimeSpan.FromDays(100), TimeSpan.FromDays(200), dnsNames: ["x.example"]);
        TestCertificates.WritePem(_dir["odd name, \"quoted\".pem"], certificate);

        var run = await CliRun.RunAsync("scan", _dir["odd name, \"quoted\".pem"], "--format", "json");

        using var json = JsonDocument.Parse(run.Out);
        var entry = Assert.Single(json.RootElement.GetProperty("certificates").EnumerateArray());
        Assert.Equal(certificate.Subject, entry.GetProperty("subject").GetString());
        Assert.Equal(_dir["odd name, \"quoted\".pem"], entry.GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    public async Task A_report_larger_than_one_streamed_piece_is_whole_and_valid(string format)
    {
        // About 1 KiB per certificate: well past the 32 KiB pieces the report is streamed in, to stdout and to a file.
        using var certificate = TestCertificates.Expired("ünïcode-ßubject.example");
        for (var i = 0; i < 80; i++)
        {
            TestCertificates.WritePem(_dir[$"many/c{i:D3}.pem"], certificate);
        }

        var run = await CliRun.RunAsync("scan", _dir["many"], "--format", format);
        await CliRun.RunAsync("scan", _dir["many"], "--format", format, "--output", _dir["report"]);

        foreach (var text in new[] { run.Out, File.ReadAllText(_dir["report"]) })
        {
            Assert.True(text.Length > 64 * 1024, $"{text.Length} characters");
            using var json = JsonDocument.Parse(text);
            var count = format == "json"
                ? json.RootElement.GetProperty("certificates").GetArrayLength()
                : json.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength();
            Assert.Equal(format == "json" ? 80 : 160, count);
            Assert.Contains("ünïcode-ßubject.example", text);
        }
    }

    private static string Iso(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
