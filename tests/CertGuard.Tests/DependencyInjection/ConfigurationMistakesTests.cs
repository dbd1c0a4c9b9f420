using System.Collections;
using CertGuard.DependencyInjection;
using CertGuard.Inspection;
using CertGuard.Monitoring;
using CertGuard.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CertGuard.Tests.DependencyInjection;

/// <summary>Issue 15, items 1 and 2: a configuration mistake stops the host at start, naming the setting; never a silent drop.</summary>
public sealed class ConfigurationMistakesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-mistakes-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("Trust", "Sytem", "CertGuard:Certificates:0:Trust is 'Sytem', which is not one of: None, System, Custom.")]
    [InlineData("Revocation", "Onlin", "CertGuard:Certificates:0:Revocation is 'Onlin', which is not one of: Off, Offline, Online.")]
    [InlineData("StoreLocation", "Nowhere", "CertGuard:Certificates:0:StoreLocation is 'Nowhere', which is not one of: CurrentUser, LocalMachine.")]
    [InlineData("Timeout", "ten seconds", "CertGuard:Certificates:0:Timeout is 'ten seconds', which is not a time span; write [days.]hours:minutes:seconds, for example 00:00:30 or 30.00:00:00.")]
    [InlineData("Trust", "7", "CertGuard:Certificates:0:Trust is '7', which is not one of: None, System, Custom.")]
    public async Task A_value_that_cannot_be_read_stops_the_start_with_its_path_value_and_accepted_values(string key, string value, string expected)
    {
        // The one entry holds an expired certificate: dropping it would have answered Healthy "No certificates are configured".
        var path = MintedCertificates.WritePem(Path.Combine(_directory, "expired.pem"), MintedCertificates.WithDaysLeft("expired.example", DateTimeOffset.UtcNow, -5));
        var configuration = TestHosts.Memory(("CertGuard:Certificates:0:Path", path), ($"CertGuard:Certificates:0:{key}", value));
        using var host = TestHosts.Build(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal([expected], error.Failures);
    }

    [Fact]
    public async Task An_unknown_key_inside_an_entry_or_at_the_top_is_named_with_the_known_settings()
    {
        var configuration = TestHosts.Memory(
            ("CertGuard:Certificates:0:Path", "/tmp/a.pem"),
            ("CertGuard:Certificates:0:Pasword", "Hunter2-secret"),
            ("CertGuard:RefreshIntervall", "00:01:00"));
        using var host = TestHosts.Build(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("CertGuard:Certificates:0:Pasword is not a setting CertGuard knows (check the spelling); known settings here: Directory, Endpoint, Exclude, Include, KeyPath, Name, Owner, Password, PasswordEnvironmentVariable, Path,", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("CertGuard:RefreshIntervall is not a setting CertGuard knows", StringComparison.Ordinal) && f.Contains("DegradedBefore", StringComparison.Ordinal) && f.Contains("RefreshInterval,", StringComparison.Ordinal));
        Assert.DoesNotContain("Hunter2-secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CertGuard:DegradedBefore", "thirty days", "CertGuard:DegradedBefore is 'thirty days', which is not a time span")]
    [InlineData("CertGuard:MinimumRsaKeySize", "2k", "CertGuard:MinimumRsaKeySize is '2k', which is not a whole number")]
    [InlineData("CertGuard:DegradedLifetimeFraction", "a third", "CertGuard:DegradedLifetimeFraction is 'a third', which is not a number")]
    [InlineData("CertGuard:RequireTrustedChain", "yes", "CertGuard:RequireTrustedChain is 'yes', which is not one of: true, false.")]
    [InlineData("CertGuard:Revocation:RequestTimout", "00:00:05", "CertGuard:Revocation:RequestTimout is not a setting CertGuard knows (check the spelling); known settings here: CacheDurationWithoutNextUpdate,")]
    [InlineData("CertGuard:Revocation:MaxCrlSize", "10 MB", "CertGuard:Revocation:MaxCrlSize is '10 MB', which is not a whole number")]
    [InlineData("CertGuard:Certificates:0:Tags", "edge", "CertGuard:Certificates:0:Tags must be a list (CertGuard:Certificates:0:Tags:0, CertGuard:Certificates:0:Tags:1, ...), not a single value.")]
    public async Task Thresholds_and_lists_are_read_as_strictly(string key, string value, string expected)
    {
        var configuration = TestHosts.Memory(("CertGuard:Certificates:0:Path", "/tmp/a.pem"), (key, value));
        using var host = TestHosts.Build(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.StartsWith(expected, Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_revocation_sub_section_the_README_documents_is_accepted()
    {
        var path = MintedCertificates.WritePem(Path.Combine(_directory, "fine.pem"), MintedCertificates.WithDaysLeft("fine.example", DateTimeOffset.UtcNow, 60, lifetimeDays: 365));
        var configuration = TestHosts.Memory(("CertGuard:Certificates:0:Path", path), ("CertGuard:Revocation:RequestTimeout", "00:00:03"));
        using var host = await TestHosts.StartAsync(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

        Assert.Equal(HealthStatus.Healthy, (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_password_value_is_never_echoed_even_when_it_lands_in_a_typed_setting()
    {
        // A list where a value is expected: the message names the setting, not what is in it.
        var configuration = TestHosts.Memory(("CertGuard:Certificates:0:Path", "/tmp/a.pem"), ("CertGuard:Certificates:0:Password:0", "Hunter2-secret"));
        using var host = TestHosts.Build(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(["CertGuard:Certificates:0:Password must be a single value, not a section."], error.Failures);
        Assert.DoesNotContain("Hunter2-secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CertGuard:RefreshInterval", "49.00:00:00", "CertGuard:RefreshInterval must be positive and at most 7 days (was 49.00:00:00).")]
    [InlineData("CertGuard:RefreshInterval", "10675199.02:48:05.4775807", "CertGuard:RefreshInterval must be positive and at most 7 days (was 10675199.02:48:05.4775807).")]
    [InlineData("CertGuard:Certificates:0:Timeout", "49.17:00:00", "CertGuard:Certificates:0:Timeout must be at most 01:00:00 (was 49.17:00:00).")]
    [InlineData("CertGuard:DegradedBefore", "10675199.02:48:05.4775807", "CertGuard:DegradedBefore must be at most 36500 days (was 10675199.02:48:05.4775807).")]
    public async Task Values_past_the_upper_bounds_stop_the_start(string key, string value, string expected)
    {
        var configuration = TestHosts.Memory(("CertGuard:Certificates:0:Path", "/tmp/a.pem"), (key, value));
        using var host = TestHosts.Build(configuration, (services, config) => services.AddHealthChecks().AddCertGuard(config.GetSection("CertGuard")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Failures);
    }

    [Fact]
    public async Task Upper_bounds_hold_for_sources_and_intervals_set_in_code()
    {
        using var host = TestHosts.Build(TestHosts.Memory(), (services, _) =>
        {
            services.AddHealthChecks().AddCertificateSource(new CertGuard.Sources.FileCertificateSource("/tmp/a.pem", name: "slow") { Timeout = TimeSpan.FromDays(50) });
            services.Configure<CertificateMonitorOptions>(o => o.RefreshInterval = TimeSpan.MaxValue);
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("RefreshInterval must be positive and at most 7 days", StringComparison.Ordinal));
        Assert.Contains("The timeout of source 'slow' must be positive and at most 01:00:00 (was 50.00:00:00).", error.Failures);
    }

    [Fact]
    public async Task Everything_the_section_says_can_be_said_in_code_and_is_validated_the_same_way()
    {
        var now = DateTimeOffset.UtcNow;
        var path = MintedCertificates.WritePem(Path.Combine(_directory, "code.pem"), MintedCertificates.WithDaysLeft("code.example", now, 45, lifetimeDays: 365));
        using var host = await TestHosts.StartAsync(TestHosts.Memory(), (services, _) => services.AddHealthChecks().AddCertGuard(configuration: null, name: "in-code", configure: options =>
        {
            options.RefreshInterval = TimeSpan.FromMinutes(2);
            options.Policy.DegradedBefore = TimeSpan.FromDays(60);
            options.Certificates.Add(new CertificateSourceOptions { Path = path, Name = "code-cert", Owner = "team-code", Trust = ChainTrustMode.None });
        }));

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["in-code"];

        // 45 days left is healthy under the default 30-day window; the code's 60-day window makes it Degraded.
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.StartsWith("Degraded: 'code-cert' (CN=code.example) expires-soon: ", entry.Description, StringComparison.Ordinal);
        await host.StopAsync();

        using var invalid = TestHosts.Build(TestHosts.Memory(), (services, _) => services.AddHealthChecks().AddCertGuard(configuration: null, configure: options =>
        {
            options.RefreshInterval = TimeSpan.FromDays(60);
            options.Certificates.Add(new CertificateSourceOptions { Path = path, Trust = ChainTrustMode.Custom });
        }));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => invalid.StartAsync());
        Assert.Equal(
            [
                "CertGuardOptions('certguard'):RefreshInterval must be positive and at most 7 days (was 60.00:00:00).",
                "CertGuardOptions('certguard'):Certificates:0:Trust is Custom but TrustedRootsPath is not set; give the file of roots to trust.",
            ],
            error.Failures);
    }

    [Fact]
    public async Task Two_registrations_with_their_own_sections_names_and_tags_work_side_by_side()
    {
        var now = DateTimeOffset.UtcNow;
        var fine = MintedCertificates.WritePem(Path.Combine(_directory, "fine.pem"), MintedCertificates.WithDaysLeft("fine.example", now, 60, lifetimeDays: 365));
        var expired = MintedCertificates.WritePem(Path.Combine(_directory, "expired.pem"), MintedCertificates.WithDaysLeft("expired.example", now, -3));
        var configuration = TestHosts.Memory(
            ("Internal:Certificates:0:Name", "int"),
            ("Internal:Certificates:0:Path", fine),
            ("Internal:DegradedBefore", "90.00:00:00"),
            ("Partners:Certificates:0:Name", "int"),
            ("Partners:Certificates:0:Path", expired));
        using var host = await TestHosts.StartAsync(configuration, (services, config) => services.AddHealthChecks()
            .AddCertGuard(config.GetSection("Internal"), name: "internal", tags: ["ready"])
            .AddCertGuard(config.GetSection("Partners"), name: "partners", failureStatus: HealthStatus.Degraded, tags: ["partners"])
            .AddCertificateFile(fine, name: "typed"));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        // Each check reports only its own registration's sources, judged by its own thresholds (60 days < 90: Degraded).
        Assert.Equal(HealthStatus.Degraded, report.Entries["internal"].Status);
        Assert.Equal(["ready"], report.Entries["internal"].Tags);
        Assert.Contains("fine.example", report.Entries["internal"].Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, report.Entries["partners"].Status);
        Assert.StartsWith("Degraded: 'int' (CN=expired.example) expired: ", report.Entries["partners"].Description, StringComparison.Ordinal);
        Assert.Equal(["partners"], report.Entries["partners"].Tags);
        Assert.Single((IList)report.Entries["partners"].Data["certificates"]);
        Assert.Single((IList)report.Entries["internal"].Data["certificates"]);

        // The first section also sets the thresholds of certificates added in code.
        Assert.Equal(HealthStatus.Degraded, report.Entries["typed"].Status);
        await host.StopAsync();
    }
}
