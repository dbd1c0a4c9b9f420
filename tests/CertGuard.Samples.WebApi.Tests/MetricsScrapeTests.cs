using System.Globalization;
using System.Text.RegularExpressions;

namespace CertGuard.Samples.WebApi.Tests;

/// <summary>Scrapes the sample's real Prometheus endpoint and checks the names and labels x509-certificate-exporter uses.</summary>
public sealed partial class MetricsScrapeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-metrics-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Metrics_expose_one_series_per_certificate_with_exporter_names_and_labels()
    {
        await using var factory = SampleHost.Create();
        using var client = factory.CreateClient();

        var text = await SampleHost.GetUntilAsync(client, "/metrics", (_, body) => body.Contains("expiring.demo.certguard", StringComparison.Ordinal));
        var samples = Parse(text);

        var notAfter = Assert.Single(samples, s => s.Name == "x509_cert_not_after" && s.Labels["subject_CN"] == "expiring.demo.certguard");
        var expectedNotAfter = DateTimeOffset.UtcNow.AddDays(10).AddHours(12).ToUnixTimeSeconds();
        Assert.InRange(notAfter.Value, expectedNotAfter - 600, expectedNotAfter + 5);
        Assert.Equal("expiring.demo.certguard", notAfter.Labels["issuer_CN"]);
        Assert.Equal("expiring.pem", notAfter.Labels["filename"]);
        Assert.EndsWith("/expiring.pem", notAfter.Labels["filepath"]);
        Assert.Equal("demo", notAfter.Labels["source_name"]);
        Assert.Equal("you", notAfter.Labels["owner"]);
        Assert.Matches("^[0-9]+$", notAfter.Labels["serial_number"]);
        foreach (var field in new[] { "C", "ST", "L", "O", "OU", "CN" })
        {
            Assert.True(notAfter.Labels.ContainsKey("subject_" + field), "subject_" + field);
            Assert.True(notAfter.Labels.ContainsKey("issuer_" + field), "issuer_" + field);
        }

        Assert.Equal(2, samples.Count(s => s.Name == "x509_cert_not_after"));
        Assert.Equal(2, samples.Count(s => s.Name == "x509_cert_not_before"));
        Assert.All(samples.Where(s => s.Name == "x509_cert_expired"), s => Assert.Equal(0, s.Value));
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "x509_source_up" && s.Labels["source_name"] == "demo").Value);
        Assert.Equal(0, Assert.Single(samples, s => s.Name == "x509_read_errors").Value);
        Assert.Contains("# TYPE x509_cert_not_after gauge", text);
    }

    [Fact]
    public async Task An_expired_and_an_unreadable_certificate_show_in_the_metrics()
    {
        var expired = SampleHost.WritePem(_directory, "expired.example", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(-1));
        await using (var expiredFactory = SampleHost.Create(expired))
        {
            using var expiredClient = expiredFactory.CreateClient();
            var expiredText = await SampleHost.GetUntilAsync(expiredClient, "/metrics", (_, body) => body.Contains("x509_cert_expired{", StringComparison.Ordinal));
            Assert.Equal(1, Assert.Single(Parse(expiredText), s => s.Name == "x509_cert_expired").Value);
        }

        var garbage = Path.Combine(_directory, "garbage.pem");
        await File.WriteAllTextAsync(garbage, "not a certificate");
        await using var garbageFactory = SampleHost.Create(garbage);
        using var garbageClient = garbageFactory.CreateClient();
        // Wait for the check itself: a file written a moment ago is judged once it has been left alone for the write
        // settle time (5 s), so a half-written file is never reported as broken.
        var text = await SampleHost.GetUntilAsync(garbageClient, "/metrics", (_, body) => Parse(body).Any(s => s.Name == "x509_read_errors" && s.Value >= 1));
        var samples = Parse(text);
        Assert.Equal(0, Assert.Single(samples, s => s.Name == "x509_source_up" && s.Labels["source_name"] == "configured").Value);
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "x509_read_errors").Value);
        var errors = Assert.Single(samples, s => s.Name == "x509_source_errors_total");
        Assert.Equal("configured", errors.Labels["source_name"]);
        Assert.True(errors.Value >= 1);
        Assert.DoesNotContain(samples, s => s.Name == "x509_cert_not_after");
    }

    private static List<(string Name, Dictionary<string, string> Labels, double Value)> Parse(string text)
    {
        var samples = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => Regex.Unescape(m.Groups["value"].Value));
            samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}
