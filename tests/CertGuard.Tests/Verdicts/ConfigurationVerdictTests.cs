using System.Collections;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Tests.Inspection.Revocation;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace CertGuard.Tests.Verdicts;

/// <summary>
/// Issue 15's verdict matrix, configuration shapes: the exact <c>/health</c> code and status of a real application on
/// a loopback port, for two registrations side by side, configuration edits at run time, a typo, and a private CA.
/// </summary>
public sealed class ConfigurationVerdictTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-verdicts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Two_registrations_side_by_side_each_answer_for_their_own_certificates()
    {
        var fine = Pem("fine", 60);
        var expired = Pem("expired", -3);
        var settings = Settings($$"""
            {
              "Internal": { "Certificates": [ { "Name": "int", "Path": "{{fine}}" } ] },
              "Partners": { "Certificates": [ { "Name": "int", "Path": "{{expired}}" } ] }
            }
            """);
        await using var server = await HealthServer.StartAsync(settings, (checks, configuration) => checks
            .AddCertGuard(configuration.GetSection("Internal"), name: "internal", tags: ["internal"])
            .AddCertGuard(configuration.GetSection("Partners"), name: "partners", tags: ["partners"]), "internal", "partners");

        Assert.Equal((200, "Healthy"), await server.GetAsync("/health/internal"));
        Assert.Equal((503, "Unhealthy"), await server.GetAsync("/health/partners"));
        Assert.Equal((503, "Unhealthy"), await server.GetAsync("/health"));
    }

    [Fact]
    public async Task Configuration_edits_at_run_time_take_effect_and_an_invalid_one_keeps_the_last_valid_set()
    {
        var fine = Pem("fine", 60);
        var expired = Pem("expired", -3);
        var settings = Settings(Certificates($$"""{ "Name": "fine", "Path": "{{fine}}" }"""));
        await using var server = await HealthServer.StartAsync(settings, (checks, configuration) => checks.AddCertGuard(configuration.GetSection("CertGuard")));
        Assert.Equal((200, "Healthy"), await server.GetAsync("/health"));

        // A valid edit adds an expired certificate: it is judged, and the node drains.
        HealthServer.WriteSettings(settings, Certificates($$"""{ "Name": "fine", "Path": "{{fine}}" }, { "Name": "old", "Path": "{{expired}}" }"""));
        Assert.Equal((503, "Unhealthy"), await server.GetWhenAsync("/health", "Unhealthy"));

        // A valid edit removes it again.
        HealthServer.WriteSettings(settings, Certificates($$"""{ "Name": "fine", "Path": "{{fine}}" }"""));
        Assert.Equal((200, "Healthy"), await server.GetWhenAsync("/health", "Healthy"));

        // An invalid edit (a typo) that would also add the expired one: refused, said so, the last valid set stays.
        HealthServer.WriteSettings(settings, Certificates($$"""{ "Name": "fine", "Path": "{{fine}}", "Trust": "Sytem" }, { "Name": "old", "Path": "{{expired}}" }"""));
        Assert.Equal((200, "Degraded"), await server.GetWhenAsync("/health", "Degraded"));
        var entry = (await server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["certguard"];
        Assert.StartsWith("Degraded: a configuration change was rejected, the last valid configuration stays in force: CertGuard:Certificates:0:Trust is 'Sytem', which is not one of: None, System, Custom.", entry.Description, StringComparison.Ordinal);
        Assert.Equal(["CertGuard:Certificates:0:Trust is 'Sytem', which is not one of: None, System, Custom."], Assert.IsType<List<string>>(entry.Data["configurationErrors"]));
        Assert.Single((IList)entry.Data["certificates"]);
        var rejected = Assert.Single(server.Services.GetFakeLogCollector().GetSnapshot(), l => l.Id.Id == 1010);
        Assert.Equal(LogLevel.Error, rejected.Level);
        Assert.Contains("CertGuard:Certificates:0:Trust is 'Sytem'", rejected.Message, StringComparison.Ordinal);

        // A settings file that reads as empty (as a half-written file does) is refused too, not taken as "no certificates".
        HealthServer.WriteSettings(settings, "{}");
        await Task.Delay(100);
        Assert.Equal((200, "Degraded"), await server.GetWhenAsync("/health", "Degraded"));

        // Fixing the typo applies the edit and clears the complaint.
        HealthServer.WriteSettings(settings, Certificates($$"""{ "Name": "fine", "Path": "{{fine}}", "Trust": "None" }, { "Name": "old", "Path": "{{expired}}" }"""));
        Assert.Equal((503, "Unhealthy"), await server.GetWhenAsync("/health", "Unhealthy"));
        entry = (await server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["certguard"];
        Assert.Empty((IList)entry.Data["configurationErrors"]);
        Assert.Equal(2, ((IList)entry.Data["certificates"]).Count);
    }

    [Fact]
    public async Task A_typo_in_configuration_stops_the_application_at_start_naming_the_setting()
    {
        var expired = Pem("expired", -3);
        var settings = Settings(Certificates($$"""{ "Path": "{{expired}}", "Revocation": "Onlin" }"""));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            HealthServer.StartAsync(settings, (checks, configuration) => checks.AddCertGuard(configuration.GetSection("CertGuard"))));

        Assert.Equal(["CertGuard:Certificates:0:Revocation is 'Onlin', which is not one of: Off, Offline, Online."], error.Failures);
    }

    [Fact]
    public async Task A_private_CA_endpoint_is_Healthy_with_its_roots_in_code_or_configuration_and_Unhealthy_without()
    {
        using var pki = TestPki.Create("CertGuard Private Test Root");
        using var leaf = pki.IssueServerCertificate("private.test");
        await using var tls = await LoopbackTlsServer.StartAsync(leaf, pki.Certificate);
        var roots = Path.Combine(_directory, "roots.pem");
        File.WriteAllText(roots, pki.Certificate.ExportCertificatePem());
        var settings = Settings($$"""
            { "CertGuard": { "Certificates": [ { "Name": "configured", "Endpoint": "127.0.0.1:{{tls.Port}}", "ServerName": "private.test", "Trust": "Custom", "TrustedRootsPath": "{{roots}}", "Revocation": "Off" } ] } }
            """);
        using var anchor = X509CertificateLoader.LoadCertificate(pki.Certificate.RawData);

        await using var server = await HealthServer.StartAsync(settings, (checks, configuration) => checks
            .AddCertGuard(configuration.GetSection("CertGuard"), tags: ["configured"])
            .AddCertificateEndpoint("127.0.0.1", tls.Port, serverName: "private.test", name: "in-code", tags: ["in-code"], trust: ChainTrust.Custom([anchor]), revocation: RevocationCheckMode.Off)
            .AddCertificateEndpoint("127.0.0.1", tls.Port, serverName: "private.test", name: "system-roots", tags: ["system-roots"], revocation: RevocationCheckMode.Off),
            "configured", "in-code", "system-roots");

        Assert.Equal((200, "Healthy"), await server.GetAsync("/health/configured"));
        Assert.Equal((200, "Healthy"), await server.GetAsync("/health/in-code"));
        Assert.Equal((503, "Unhealthy"), await server.GetAsync("/health/system-roots"));
        var entry = (await server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["system-roots"];
        var certificate = Assert.IsType<Dictionary<string, object?>>(Assert.Single((IList)entry.Data["certificates"]));
        // Against the system roots the private root is unknown: the chain cannot be completed.
        Assert.Equal("incomplete-chain", ((IList)certificate["findings"]!).Cast<Dictionary<string, object?>>().First()["id"]);
    }

    private string Pem(string name, double daysLeft) =>
        MintedCertificates.WritePem(Path.Combine(_directory, name + ".pem"), MintedCertificates.WithDaysLeft(name + ".example", DateTimeOffset.UtcNow, daysLeft, lifetimeDays: 365));

    private string Settings(string json)
    {
        var path = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Certificates(string entries) => $$"""{ "CertGuard": { "Certificates": [ {{entries}} ] } }""";
}
