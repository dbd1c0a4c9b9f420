using System.Collections;
using System.Security.Cryptography.X509Certificates;
using CertGuard.DependencyInjection;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace CertGuard.Tests.DependencyInjection;

public sealed class AddCertGuardTests : IDisposable
{
    private const string Secret = "Sup3r-Secret-Passw0rd!";
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-di-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Environment_variables_bind_certificates_thresholds_and_interval()
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = MintedCertificates.WithDaysLeft("env.example", now, daysLeft: 45, lifetimeDays: 365);
        var path = MintedCertificates.WritePem(Path.Combine(_directory, "env.pem"), certificate);
        var prefix = $"CGTEST_{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            ["CertGuard__Certificates__0__Path"] = path,
            ["CertGuard__Certificates__0__Name"] = "env-cert",
            ["CertGuard__Certificates__0__Owner"] = "team-env",
            ["CertGuard__Certificates__0__Tags__0"] = "edge",
            ["CertGuard__DegradedBefore"] = "60.00:00:00",
            ["CertGuard__RefreshInterval"] = "00:01:30",
        };
        foreach (var (key, value) in variables)
        {
            Environment.SetEnvironmentVariable(prefix + key, value);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            using var host = await TestHosts.StartAsync(configuration, (services, config) =>
                services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

            // 45 days left is healthy under the default 30-day window; the bound 60-day window makes it degraded.
            var entry = report.Entries["certguard"];
            Assert.Equal(HealthStatus.Degraded, entry.Status);
            var certificateData = Assert.IsType<Dictionary<string, object?>>(Assert.Single((IList)entry.Data["certificates"]));
            Assert.Equal("env-cert", certificateData["name"]);
            Assert.Equal("team-env", certificateData["owner"]);
            var source = Assert.Single(host.Services.GetRequiredService<CertificateMonitor>().Snapshot.Sources).Source;
            Assert.Equal(["edge"], source.Tags);
            Assert.Equal(TimeSpan.FromSeconds(90), host.Services.GetRequiredService<IOptions<CertificateMonitorOptions>>().Value.RefreshInterval);
            Assert.Equal(TimeSpan.FromDays(60), host.Services.GetRequiredService<IOptions<CertificatePolicyOptions>>().Value.DegradedBefore);
            await host.StopAsync();
        }
        finally
        {
            foreach (var key in variables.Keys)
            {
                Environment.SetEnvironmentVariable(prefix + key, null);
            }
        }
    }

    [Theory]
    [InlineData("Path", "/tmp/a.pem", "Endpoint", "localhost:443", "CertGuard:Certificates:2 has both Path and Endpoint; give exactly one.")]
    [InlineData("Directory", "/tmp", "StoreName", "My", "CertGuard:Certificates:2 has both Directory and StoreName; give exactly one.")]
    [InlineData("Owner", "team", "Tags:0", "x", "CertGuard:Certificates:2 names no certificate; give one of Path, Directory, Endpoint or StoreName.")]
    [InlineData("Path", "/tmp/a.pem", "ServerName", "example.com", "CertGuard:Certificates:2:ServerName applies only with Endpoint, not with Path.")]
    [InlineData("Path", "/tmp/a.pem", "Trust", "Custom", "CertGuard:Certificates:2:Trust is Custom but TrustedRootsPath is not set; give the file of roots to trust.")]
    [InlineData("Path", "/tmp/a.pem", "Timeout", "-00:00:01", "CertGuard:Certificates:2:Timeout must be positive (was -00:00:01).")]
    [InlineData("Path", "/tmp/a.pem", "PasswordEnvironmentVariable", "CERTGUARD_TEST_UNSET_VARIABLE", "CertGuard:Certificates:2:PasswordEnvironmentVariable names 'CERTGUARD_TEST_UNSET_VARIABLE', which is not set.")]
    [InlineData("Path", "/tmp/a.pem", "PasswordEnvironmentVariable", "Hunter2-mistaken-password", "CertGuard:Certificates:2:PasswordEnvironmentVariable names a variable that is not set (not repeated here: it is not an upper-case variable name, so it may be a password given by mistake).")]
    public async Task A_wrong_entry_fails_the_start_with_a_message_naming_the_setting(string key1, string value1, string key2, string value2, string expected)
    {
        var configuration = TestHosts.Memory(
            ("CertGuard:Certificates:0:Path", "/tmp/zero.pem"),
            ("CertGuard:Certificates:1:Path", "/tmp/one.pem"),
            ($"CertGuard:Certificates:2:{key1}", value1),
            ($"CertGuard:Certificates:2:{key2}", value2));
        using var host = TestHosts.Build(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Failures);
    }

    [Fact]
    public async Task An_endpoint_without_a_port_is_named_with_the_reason()
    {
        var configuration = TestHosts.Memory(("CertGuard:Certificates:0:Endpoint", "api.example"));
        using var host = TestHosts.Build(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("CertGuard:Certificates:0:Endpoint 'api.example' cannot be used: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_thresholds_and_duplicate_names_are_named_too()
    {
        var configuration = TestHosts.Memory(
            ("CertGuard:DegradedBefore", "-1.00:00:00"),
            ("CertGuard:Certificates:0:Path", "/tmp/a.pem"),
            ("CertGuard:Certificates:1:Path", "/tmp/a.pem"));
        using var host = TestHosts.Build(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("CertGuard:DegradedBefore must not be negative", StringComparison.Ordinal)
            || f.StartsWith("CertGuard:Certificates:1 is named '/tmp/a.pem', like CertGuard:Certificates:0", StringComparison.Ordinal));
        var all = string.Join("\n", error.Failures);
        Assert.Contains("CertGuard:Certificates:1 is named '/tmp/a.pem', like CertGuard:Certificates:0", all);
    }

    [Fact]
    public async Task A_password_never_appears_in_validation_messages_ToString_health_data_or_logs()
    {
        using var certificate = MintedCertificates.WithDaysLeft("pfx.example", DateTimeOffset.UtcNow, 60);
        var pfx = Path.Combine(_directory, "server.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "another-password"));

        // A wrong password: the load fails and is reported, the password is not.
        var configuration = TestHosts.Memory(("CertGuard:Certificates:0:Path", pfx), ("CertGuard:Certificates:0:Password", Secret));
        using var host = await TestHosts.StartAsync(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["certguard"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.DoesNotContain(Secret, Flatten(entry.Data) + entry.Description, StringComparison.Ordinal);
        var logs = host.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, l => l.Id.Id == 1002);
        Assert.All(logs, l => Assert.DoesNotContain(Secret, l.Message + string.Join(",", l.StructuredState ?? []), StringComparison.Ordinal));
        await host.StopAsync();

        var options = host.Services.GetRequiredService<IOptionsMonitor<CertGuardOptions>>().Get("certguard");
        Assert.DoesNotContain(Secret, options.Certificates[0].ToString(), StringComparison.Ordinal);

        // A wrong entry holding a password: the validation message names the setting, never the value.
        var invalid = TestHosts.Memory(("CertGuard:Certificates:0:Password", Secret), ("CertGuard:Certificates:0:Endpoint", "localhost:443"), ("CertGuard:Certificates:0:Path", pfx));
        using var failing = TestHosts.Build(invalid, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => failing.StartAsync());
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_from_an_environment_variable_opens_a_pfx()
    {
        using var certificate = MintedCertificates.WithDaysLeft("pfx.example", DateTimeOffset.UtcNow, 60);
        var pfx = Path.Combine(_directory, "server.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, Secret));
        var variable = $"CGTEST_PASSWORD_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, Secret);
        try
        {
            var configuration = TestHosts.Memory(("CertGuard:Certificates:0:Path", pfx), ("CertGuard:Certificates:0:PasswordEnvironmentVariable", variable));
            using var host = await TestHosts.StartAsync(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

            Assert.Equal(HealthStatus.Healthy, report.Entries["certguard"].Status);
            await host.StopAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Typed_registrations_each_get_a_check_with_their_name_tags_and_failure_status()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = MintedCertificates.WithDaysLeft("expired.example", now, -2);
        using var fine = MintedCertificates.WithDaysLeft("fine.example", now, 60);
        var path = MintedCertificates.WritePem(Path.Combine(_directory, "fine.pem"), fine);
        Directory.CreateDirectory(Path.Combine(_directory, "dir"));
        MintedCertificates.WritePem(Path.Combine(_directory, "dir", "a.crt"), fine);

        using var host = await TestHosts.StartAsync(TestHosts.Memory(), (services, _) => services.AddHealthChecks()
            .AddCertificateFile(path, name: "file", tags: ["ready"])
            .AddCertificateDirectory(Path.Combine(_directory, "dir"), name: "dir", owner: "team-dir")
            .AddCertificate(expired, "signing", failureStatus: HealthStatus.Degraded));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["file"].Status);
        Assert.Equal(["ready"], report.Entries["file"].Tags);
        Assert.Equal(HealthStatus.Healthy, report.Entries["dir"].Status);
        Assert.Equal(HealthStatus.Degraded, report.Entries["signing"].Status);
        Assert.Contains("expired", report.Entries["signing"].Description);
        Assert.Single(host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<CertificateMonitor>());
        await host.StopAsync();
    }

    private static string Flatten(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        IDictionary dictionary => string.Join(";", dictionary.Keys.Cast<object>().Select(k => $"{k}={Flatten(dictionary[k])}")),
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(Flatten)),
        _ => value.ToString() ?? string.Empty,
    };
}
