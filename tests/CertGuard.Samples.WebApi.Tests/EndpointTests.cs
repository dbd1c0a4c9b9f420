using System.Net;
using System.Text.Json;

namespace CertGuard.Samples.WebApi.Tests;

public sealed class EndpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-sample-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Alive_answers_200_Healthy_without_running_certificate_checks()
    {
        var expired = SampleHost.WritePem(_directory, "expired.example", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(-1));
        await using var factory = SampleHost.Create(expired);
        using var client = factory.CreateClient();

        // Wait until readiness sees the expired certificate, then liveness must still be fine.
        await SampleHost.GetUntilAsync(client, "/health", (response, _) => response.StatusCode == HttpStatusCode.ServiceUnavailable);
        using var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("Healthy", await alive.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_nothing_configured_health_is_200_Degraded_naming_the_expiring_demo_certificate()
    {
        await using var factory = SampleHost.Create();
        using var client = factory.CreateClient();

        var details = await SampleHost.GetUntilAsync(client, "/health/details", (_, body) => body.Contains("expiring.demo.certguard", StringComparison.Ordinal));
        using var health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(details);
        var check = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "certguard");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains("CN=expiring.demo.certguard", check.GetProperty("description").GetString());
        Assert.Contains("expires-soon", check.GetProperty("description").GetString());
    }

    [Fact]
    public async Task An_expired_configured_certificate_makes_health_503_Unhealthy_and_replaces_the_demo_set()
    {
        var expired = SampleHost.WritePem(_directory, "expired.example", DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(-1));
        await using var factory = SampleHost.Create(expired);
        using var client = factory.CreateClient();

        var body = await SampleHost.GetUntilAsync(client, "/health", (response, _) => response.StatusCode != HttpStatusCode.OK);

        Assert.Equal("Unhealthy", body);
        using var response = await client.GetAsync("/health/details");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var details = await response.Content.ReadAsStringAsync();
        Assert.Contains("CN=expired.example", details);
        Assert.DoesNotContain("demo.certguard", details);
    }

    [Fact]
    public async Task Health_details_is_a_JSON_report_with_every_certificates_facts_and_findings()
    {
        await using var factory = SampleHost.Create();
        using var client = factory.CreateClient();

        var details = await SampleHost.GetUntilAsync(client, "/health/details", (_, body) => body.Contains("expiring.demo.certguard", StringComparison.Ordinal));

        using var json = JsonDocument.Parse(details);
        var root = json.RootElement;
        Assert.Equal("Degraded", root.GetProperty("status").GetString());
        var check = root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "certguard");
        Assert.Equal(["ready"], check.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var data = check.GetProperty("data");
        Assert.False(data.GetProperty("stale").GetBoolean());
        Assert.Equal(0, data.GetProperty("errors").GetArrayLength());
        var certificates = data.GetProperty("certificates").EnumerateArray().ToList();
        Assert.Equal(2, certificates.Count);
        var expiring = certificates.Single(c => c.GetProperty("subject").GetString() == "CN=expiring.demo.certguard");
        Assert.Equal("demo", expiring.GetProperty("name").GetString());
        Assert.Equal("you", expiring.GetProperty("owner").GetString());
        Assert.Equal(10, expiring.GetProperty("daysRemaining").GetInt32());
        Assert.Equal("Degraded", expiring.GetProperty("status").GetString());
        Assert.Equal(64, expiring.GetProperty("thumbprint").GetString()!.Length);
        Assert.True(DateTimeOffset.TryParse(expiring.GetProperty("notAfter").GetString(), out _));
        Assert.EndsWith("Z", expiring.GetProperty("notAfter").GetString());
        var finding = expiring.GetProperty("findings").EnumerateArray().First();
        Assert.Equal("expires-soon", finding.GetProperty("id").GetString());
        Assert.Equal("Warning", finding.GetProperty("severity").GetString());
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("message").GetString()));
        var healthy = certificates.Single(c => c.GetProperty("subject").GetString() == "CN=healthy.demo.certguard");
        Assert.Equal("Healthy", healthy.GetProperty("status").GetString());
    }
}
