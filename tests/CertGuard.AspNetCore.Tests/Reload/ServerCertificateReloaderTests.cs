using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.AspNetCore.Tests.Reload;

public sealed class ServerCertificateReloaderTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TestCertificateAuthority _intermediate;
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly FakeLogger<ServerCertificateReloader> _logger = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> _reloads;

    public ServerCertificateReloaderTests()
    {
        _intermediate = _root.CreateIntermediate();
        _reloads = new MetricCollector<long>(MeterFactory, "CertGuard", "certguard_certificate_reloads");
    }

    private IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    private string CertPath => Path.Combine(_directory.Path, "tls.crt");

    private string KeyPath => Path.Combine(_directory.Path, "tls.key");

    public void Dispose()
    {
        _reloads.Dispose();
        _services.Dispose();
        _directory.Dispose();
        _intermediate.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task Serves_the_pem_certificate_with_the_intermediates_from_its_file()
    {
        using var leaf = _intermediate.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, leaf, [_intermediate.Certificate]);
        using var reloader = NewReloader();

        var state = reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));

        using var served = await ServedCertificate.LoadAsync(server.Port, "app.test");
        var loaded = Assert.Single(served.Certificates);
        Assert.Equal(leaf.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.Equal(_intermediate.Certificate.Thumbprint, Assert.Single(loaded.PresentedChain).Thumbprint);
        Assert.Equal(leaf.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), state.ServingThumbprint);
        Assert.Null(state.Rejection);
        Assert.Empty(state.ServerNames);
        Assert.Equal("default", state.Name);
    }

    [Fact]
    public async Task A_file_rewritten_in_place_is_served_after_the_refresh_interval()
    {
        using var first = _intermediate.IssueServerCertificate("app.test");
        using var second = _intermediate.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, first);
        using var reloader = NewReloader();
        reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));
        Assert.Equal(first.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));

        CertificateFileWriter.WritePem(CertPath, KeyPath, second);
        Assert.Equal(first.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
        _time.Advance(Interval);

        Assert.Equal(second.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
        var state = Assert.Single(reloader.States);
        Assert.Null(state.Rejection);
        Assert.Equal(_time.GetUtcNow(), state.LoadedAt);
        var measurement = Assert.Single(_reloads.GetMeasurementSnapshot());
        Assert.Equal("reloaded", measurement.Tags["outcome"]);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 6101 && r.Level == LogLevel.Information && r.Message.Contains(second.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unchanged_files_are_not_read_again()
    {
        using var leaf = _intermediate.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, leaf);
        using var reloader = NewReloader();
        var started = reloader.Add(CertPath, KeyPath);

        _time.Advance(Interval);
        _time.Advance(Interval);

        Assert.Equal(started.LastAttemptAt, Assert.Single(reloader.States).LastAttemptAt);
        Assert.Empty(_reloads.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task A_kubernetes_secret_swap_is_followed_through_the_directory_link()
    {
        using var first = _intermediate.IssueServerCertificate("app.test");
        using var second = _intermediate.IssueServerCertificate("app.test");
        CertificateFileWriter.WriteKubernetesSecret(_directory.Path, "2026_01", first);
        using var reloader = NewReloader();
        reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));

        CertificateFileWriter.WriteKubernetesSecret(_directory.Path, "2026_02", second);
        _time.Advance(Interval);

        Assert.Equal(second.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
    }

    [Fact]
    public async Task A_kubernetes_secret_swap_is_noticed_by_the_watcher_without_waiting_for_the_interval()
    {
        using var first = _intermediate.IssueServerCertificate("app.test");
        using var second = _intermediate.IssueServerCertificate("app.test");
        CertificateFileWriter.WriteKubernetesSecret(_directory.Path, "2026_01", first);

        // The real clock, and an interval no test outlives: only a file system event can bring the new certificate.
        using var reloader = new ServerCertificateReloader(
            new ServerCertificateReloaderOptions { RefreshInterval = TimeSpan.FromHours(1), ChangeDelay = TimeSpan.FromMilliseconds(100) },
            logger: _logger);
        reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));
        Assert.Equal(first.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));

        CertificateFileWriter.WriteKubernetesSecret(_directory.Path, "2026_02", second);

        Assert.Equal(second.Thumbprint, await ServedCertificate.WaitForAsync(server.Port, second.Thumbprint));
    }

    [Fact]
    public async Task A_certbot_style_link_to_a_new_archive_file_is_followed()
    {
        using var first = _intermediate.IssueServerCertificate("app.test");
        using var second = _intermediate.IssueServerCertificate("app.test");
        var archive = Directory.CreateDirectory(Path.Combine(_directory.Path, "archive")).FullName;
        var live = Directory.CreateDirectory(Path.Combine(_directory.Path, "live")).FullName;
        CertificateFileWriter.WritePem(Path.Combine(archive, "fullchain1.pem"), Path.Combine(archive, "privkey1.pem"), first);
        File.CreateSymbolicLink(Path.Combine(live, "fullchain.pem"), "../archive/fullchain1.pem");
        File.CreateSymbolicLink(Path.Combine(live, "privkey.pem"), "../archive/privkey1.pem");
        using var reloader = NewReloader();
        reloader.Add(Path.Combine(live, "fullchain.pem"), Path.Combine(live, "privkey.pem"));
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));

        CertificateFileWriter.WritePem(Path.Combine(archive, "fullchain2.pem"), Path.Combine(archive, "privkey2.pem"), second);
        foreach (var (link, target) in new[] { ("fullchain.pem", "../archive/fullchain2.pem"), ("privkey.pem", "../archive/privkey2.pem") })
        {
            File.CreateSymbolicLink(Path.Combine(live, link + ".new"), target);
            CertificateFileWriter.Rename(Path.Combine(live, link + ".new"), Path.Combine(live, link));
        }

        _time.Advance(Interval);

        Assert.Equal(second.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
    }

    public static TheoryData<string, string> BrokenRotations => new()
    {
        { "corrupt", "unreadable" },
        { "truncated", "unreadable" },
        { "empty", "unreadable" },
        { "expired", "expired" },
        { "not-yet-valid", "not-yet-valid" },
        { "key-of-another-certificate", "key-mismatch" },
        { "certificate-without-key", "unreadable" },
    };

    [Theory]
    [MemberData(nameof(BrokenRotations))]
    public async Task A_broken_new_certificate_never_replaces_the_working_one(string rotation, string reason)
    {
        using var working = _intermediate.IssueServerCertificate("app.test");
        using var other = _intermediate.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, working);
        using var reloader = NewReloader();
        reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));

        Break(rotation, other);
        _time.Advance(Interval);

        Assert.Equal(working.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
        var state = Assert.Single(reloader.States);
        var rejection = Assert.IsType<Finding>(state.Rejection);
        Assert.Equal(FindingIds.ReloadRejected, rejection.Id);
        // The old certificate still serves: a warning (Degraded, HTTP 200), never a reason to drain the node.
        Assert.Equal(FindingSeverity.Warning, rejection.Severity);
        Assert.Contains($"({reason})", rejection.Message);
        Assert.Contains(working.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), rejection.Message);
        Assert.Equal(_time.GetUtcNow(), state.LastAttemptAt);
        Assert.True(state.LoadedAt < state.LastAttemptAt);
        var error = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Equal(6102, error.Id.Id);
        Assert.Contains(reason, error.Message);
        var measurement = Assert.Single(_reloads.GetMeasurementSnapshot());
        Assert.Equal("rejected", measurement.Tags["outcome"]);
        Assert.Equal(reason, measurement.Tags["reason"]);

        // The same broken files are not judged (nor logged) again on every interval.
        _time.Advance(Interval);
        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
    }

    [Fact]
    public async Task A_good_certificate_after_a_rejected_one_is_served_and_clears_the_rejection()
    {
        using var working = _intermediate.IssueServerCertificate("app.test");
        using var fixedUp = _intermediate.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, working);
        using var reloader = NewReloader();
        reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));
        File.WriteAllText(CertPath, "garbage");
        _time.Advance(Interval);
        Assert.NotNull(Assert.Single(reloader.States).Rejection);

        CertificateFileWriter.WritePem(CertPath, KeyPath, fixedUp);
        _time.Advance(Interval);

        Assert.Equal(fixedUp.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
        Assert.Null(Assert.Single(reloader.States).Rejection);
    }

    [Fact]
    public async Task A_pfx_is_reloaded_and_a_wrong_password_is_rejected_without_printing_any_password()
    {
        const string password = "s3cret-Pa55word";
        using var first = _intermediate.IssueServerCertificate("app.test");
        using var second = _intermediate.IssueServerCertificate("app.test");
        using var third = _intermediate.IssueServerCertificate("app.test");
        var pfx = Path.Combine(_directory.Path, "tls.pfx");
        CertificateFileWriter.WritePfx(pfx, first, password);
        using var reloader = NewReloader();
        reloader.Add(pfx, password: password);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));

        CertificateFileWriter.WritePfx(pfx, second, password);
        _time.Advance(Interval);
        Assert.Equal(second.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));

        CertificateFileWriter.WritePfx(pfx, third, "another-Passw0rd");
        _time.Advance(Interval);

        Assert.Equal(second.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));
        var rejection = Assert.IsType<Finding>(Assert.Single(reloader.States).Rejection);
        Assert.Contains("(wrong-password)", rejection.Message);
        Assert.DoesNotContain(password, rejection.Message);
        Assert.DoesNotContain("another-Passw0rd", rejection.Message);
        Assert.All(_logger.Collector.GetSnapshot(), r => Assert.DoesNotContain(password, r.Message));
    }

    [Fact]
    public async Task A_new_certificate_from_an_untrusted_issuer_is_rejected_when_trust_is_required()
    {
        using var stranger = TestCertificateAuthority.CreateRoot("Somebody Else's Root");
        using var working = _root.IssueServerCertificate("app.test");
        using var foreign = stranger.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, working);
        using var reloader = NewReloader(new ServerCertificateReloaderOptions { RefreshInterval = Interval, WatchFiles = false, Trust = ChainTrust.Custom([_root.Certificate]) });
        reloader.Add(CertPath, KeyPath);

        CertificateFileWriter.WritePem(CertPath, KeyPath, foreign);
        _time.Advance(Interval);

        Assert.Equal(working.Thumbprint, reloader.SelectCertificate(null)!.Thumbprint);
        Assert.Contains("(untrusted-chain)", Assert.Single(reloader.States).Rejection!.Message);
    }

    [Fact]
    public async Task Serves_by_sni_name_with_a_default_and_reloads_one_name_without_touching_the_other()
    {
        using var api = _intermediate.IssueServerCertificate("api.test");
        using var www = _intermediate.IssueServerCertificate("www.test", ["www.test", "*.www.test"]);
        using var fallback = _intermediate.IssueServerCertificate("default.test");
        using var api2 = _intermediate.IssueServerCertificate("api.test");
        string Write(string name, X509Certificate2 certificate)
        {
            CertificateFileWriter.WritePem(Path.Combine(_directory.Path, name + ".crt"), Path.Combine(_directory.Path, name + ".key"), certificate);
            return Path.Combine(_directory.Path, name);
        }

        using var reloader = NewReloader();
        var apiFiles = Write("api", api);
        reloader.Add(apiFiles + ".crt", apiFiles + ".key", null, "api.test");
        var wwwFiles = Write("www", www);
        reloader.Add(wwwFiles + ".crt", wwwFiles + ".key", null, "www.test", "*.www.test");
        var defaultFiles = Write("default", fallback);
        reloader.Add(defaultFiles + ".crt", defaultFiles + ".key");
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));

        Assert.Equal(api.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "api.test"));
        Assert.Equal(api.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "API.test"));
        Assert.Equal(www.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "www.test"));
        Assert.Equal(www.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "cdn.www.test"));
        Assert.Equal(fallback.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "a.b.www.test"));
        Assert.Equal(fallback.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "other.test"));
        Assert.Equal(fallback.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port));

        Write("api", api2);
        _time.Advance(Interval);

        Assert.Equal(api2.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "api.test"));
        Assert.Equal(www.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "www.test"));
        Assert.Equal(["api.test"], reloader.States[0].ServerNames);
    }

    [Fact]
    public async Task Without_a_default_an_unknown_name_gets_no_certificate_and_the_handshake_fails()
    {
        using var api = _intermediate.IssueServerCertificate("api.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, api);
        using var reloader = NewReloader();
        reloader.Add(CertPath, KeyPath, null, "api.test");
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));

        Assert.Equal(api.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "api.test"));
        Assert.StartsWith("error:", await ServedCertificate.ThumbprintAsync(server.Port, "unknown.test"));
    }

    [Fact]
    public async Task Works_as_kestrels_certificate_selector_for_every_https_endpoint()
    {
        using var first = _intermediate.IssueServerCertificate("app.test");
        using var second = _intermediate.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, first);
        using var reloader = NewReloader();
        reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(
            listen => listen.UseHttps(),
            kestrel => kestrel.ConfigureHttpsDefaults(https => https.UseReloadingCertificate(reloader)));
        Assert.Equal(first.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "app.test"));

        CertificateFileWriter.WritePem(CertPath, KeyPath, second);
        _time.Advance(Interval);

        Assert.Equal(second.Thumbprint, await ServedCertificate.ThumbprintAsync(server.Port, "app.test"));
    }

    [Fact]
    public void Files_that_cannot_be_served_at_start_throw_a_typed_error_naming_the_file()
    {
        using var leaf = _intermediate.IssueServerCertificate("app.test");
        using var other = _intermediate.IssueServerCertificate("app.test");
        using var reloader = NewReloader();

        var missing = Assert.Throws<CertificateLoadException>(() => reloader.Add(CertPath, KeyPath));
        Assert.Equal(CertPath, missing.Location);

        File.WriteAllText(CertPath, CertificateFileWriter.CertificatePem(leaf));
        File.WriteAllText(KeyPath, CertificateFileWriter.KeyPem(other));
        var mismatch = Assert.Throws<CertificateLoadException>(() => reloader.Add(CertPath, KeyPath));
        Assert.Equal(LoadErrorReason.KeyMismatch, mismatch.Reason);
        Assert.Empty(reloader.States);
    }

    [Fact]
    public void An_expired_certificate_is_served_at_start_because_something_beats_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = _intermediate.IssueServerCertificate("app.test", notBefore: now.AddDays(-90), notAfter: now.AddDays(-1));
        CertificateFileWriter.WritePem(CertPath, KeyPath, expired);
        using var reloader = NewReloader();

        var state = reloader.Add(CertPath, KeyPath);

        Assert.Equal(expired.Thumbprint, reloader.SelectCertificate("app.test")!.Thumbprint);
        Assert.Null(state.Rejection);
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_problem_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServerCertificateReloader(new ServerCertificateReloaderOptions { RefreshInterval = TimeSpan.Zero, ChangeDelay = TimeSpan.FromSeconds(-1) }));

        Assert.Contains("RefreshInterval", error.Message);
        Assert.Contains("ChangeDelay", error.Message);
    }

    private ServerCertificateReloader NewReloader(ServerCertificateReloaderOptions? options = null) =>
        new(options ?? new ServerCertificateReloaderOptions { RefreshInterval = Interval, WatchFiles = false }, _time, _logger, MeterFactory);

    private void Break(string rotation, X509Certificate2 other)
    {
        var now = DateTimeOffset.UtcNow;
        switch (rotation)
        {
            case "corrupt":
                File.WriteAllText(CertPath, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
                break;
            case "truncated":
                var pem = CertificateFileWriter.CertificatePem(other);
                File.WriteAllText(CertPath, pem[..(pem.Length / 2)]);
                File.WriteAllText(KeyPath, CertificateFileWriter.KeyPem(other));
                break;
            case "empty":
                File.WriteAllText(CertPath, string.Empty);
                break;
            case "expired":
                using (var expired = _intermediate.IssueServerCertificate("app.test", notBefore: now.AddDays(-90), notAfter: now.AddDays(-1)))
                {
                    CertificateFileWriter.WritePem(CertPath, KeyPath, expired);
                }

                break;
            case "not-yet-valid":
                using (var future = _intermediate.IssueServerCertificate("app.test", notBefore: now.AddDays(2), notAfter: now.AddDays(92)))
                {
                    CertificateFileWriter.WritePem(CertPath, KeyPath, future);
                }

                break;
            case "key-of-another-certificate":
                File.WriteAllText(KeyPath, CertificateFileWriter.KeyPem(other));
                break;
            case "certificate-without-key":
                File.WriteAllText(KeyPath, "not a key\n");
                break;
        }
    }
}
