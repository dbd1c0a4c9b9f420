using System.Security.Cryptography;
using CertGuard.AspNetCore.Drift;
using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.AspNetCore.Hosting;

namespace CertGuard.AspNetCore.Tests.Drift;

public sealed class ServedCertificateSourceTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TempDirectory _directory = new();
    private readonly CertificateScanner _scanner = new();

    private string CertPath => Path.Combine(_directory.Path, "tls.crt");

    private string KeyPath => Path.Combine(_directory.Path, "tls.key");

    public void Dispose()
    {
        _directory.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task Serving_the_configured_certificate_is_no_drift()
    {
        using var leaf = _root.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, leaf);
        await using var server = await TlsTestServer.StartAsync(leaf);

        var scan = await _scanner.ScanAsync(Served(server.Port, "app.test"));

        Assert.Empty(scan.Errors);
        var report = Assert.Single(scan.Reports);
        Assert.Equal(report.Facts.ThumbprintSha256, report.Facts.ConfiguredCertificate!.ThumbprintSha256);
        Assert.DoesNotContain(report.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        Assert.Equal(CertificateStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task A_renewed_file_the_server_never_loaded_is_drift_naming_both_certificates()
    {
        using var old = _root.IssueServerCertificate("app.test", notAfter: DateTimeOffset.UtcNow.AddDays(60));
        using var renewed = _root.IssueServerCertificate("app.test", notAfter: DateTimeOffset.UtcNow.AddDays(90));
        await using var server = await TlsTestServer.StartAsync(old);
        CertificateFileWriter.WritePem(CertPath, KeyPath, renewed);

        var scan = await _scanner.ScanAsync(Served(server.Port, "app.test"));

        var report = Assert.Single(scan.Reports);
        var drift = Assert.Single(report.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        Assert.Equal(FindingSeverity.Warning, drift.Severity);
        Assert.Contains(Sha256(old), drift.Message);
        Assert.Contains(Sha256(renewed), drift.Message);
        Assert.Contains(renewed.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), drift.Message);
        Assert.Equal(CertificateStatus.Degraded, report.Status);
    }

    [Fact]
    public async Task A_file_changed_within_the_reload_grace_is_not_compared_yet()
    {
        using var old = _root.IssueServerCertificate("app.test");
        using var renewed = _root.IssueServerCertificate("app.test");
        await using var server = await TlsTestServer.StartAsync(old);
        CertificateFileWriter.WritePem(CertPath, KeyPath, renewed);
        // "Now" is the moment the file was written, read from the file itself, so a clock moved by faketime (which
        // leaves the file system's times alone) cannot put the write outside the grace.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(File.GetLastWriteTimeUtc(CertPath), TimeSpan.Zero));
        var source = new ServedCertificateSource("127.0.0.1", server.Port, new FileCertificateSource(CertPath, new CertificateLoadOptions { KeyPath = KeyPath }), "app.test") { ReloadGrace = TimeSpan.FromMinutes(2), TimeProvider = time, ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        var during = Assert.Single((await _scanner.ScanAsync(source)).Reports);
        time.Advance(TimeSpan.FromMinutes(3));
        var after = Assert.Single((await _scanner.ScanAsync(source)).Reports);

        Assert.Null(during.Facts.ConfiguredCertificate);
        Assert.DoesNotContain(during.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        Assert.Contains(after.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
    }

    [Fact]
    public async Task A_kubernetes_swap_on_an_old_volume_gets_the_grace_and_a_recheck_when_it_ends()
    {
        using var old = _root.IssueServerCertificate("app.test");
        using var renewed = _root.IssueServerCertificate("app.test");
        await using var server = await TlsTestServer.StartAsync(old);
        var secret = Directory.CreateDirectory(Path.Combine(_directory.Path, "secret")).FullName;
        CertificateFileWriter.WriteKubernetesSecret(secret, "v1", old);

        // The volume was mounted long ago: its file links (tls.crt -> ..data/tls.crt) keep their old times forever.
        var longAgo = File.GetLastWriteTimeUtc(Path.Combine(secret, "..v1", "tls.crt")).AddMinutes(-30);
        foreach (var link in new[] { "tls.crt", "tls.key", "..data" })
        {
            SetLinkTime(Path.Combine(secret, link), longAgo);
        }

        CertificateFileWriter.WriteKubernetesSecret(secret, "v2", renewed);

        // "Now" is the swap, read from the new files (a faketime clock cannot move it outside the grace).
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(secret, "..v2", "tls.crt")), TimeSpan.Zero));
        var rechecks = new List<TimeSpan>();
        var source = new ServedCertificateSource("127.0.0.1", server.Port, new FileCertificateSource(Path.Combine(secret, "tls.crt"), new CertificateLoadOptions { KeyPath = Path.Combine(secret, "tls.key") }), "app.test")
        {
            ReloadGrace = TimeSpan.FromMinutes(2),
            TimeProvider = time,
            ConnectTimeout = HangGuard,
            HandshakeTimeout = HangGuard,
            RecheckAfter = rechecks.Add,
        };

        var during = Assert.Single((await _scanner.ScanAsync(source)).Reports);

        // The server has not reloaded yet: within the grace that is no drift, and a recheck is asked for when it ends.
        Assert.Equal(Sha256(old), during.Facts.ThumbprintSha256);
        Assert.Null(during.Facts.ConfiguredCertificate);
        Assert.DoesNotContain(during.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        var recheck = Assert.Single(rechecks);
        Assert.InRange(recheck, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        // Past the grace, a server still serving the old certificate has truly drifted.
        time.Advance(recheck);
        var after = Assert.Single((await _scanner.ScanAsync(source)).Reports);
        Assert.Contains(after.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        Assert.Single(rechecks);
    }

    [Fact]
    public async Task Drift_to_a_served_certificate_that_expired_is_critical()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = _root.IssueServerCertificate("app.test", notBefore: now.AddDays(-90), notAfter: now.AddDays(-1));
        using var renewed = _root.IssueServerCertificate("app.test");
        await using var server = await TlsTestServer.StartAsync(expired);
        CertificateFileWriter.WritePem(CertPath, KeyPath, renewed);

        var report = Assert.Single((await _scanner.ScanAsync(Served(server.Port, "app.test"))).Reports);

        Assert.Contains(report.Findings, f => f.Id == FindingIds.ServedCertificateDrift && f.Severity == FindingSeverity.Critical);
        Assert.Equal(CertificateStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task A_reloader_whose_reload_has_not_happened_drifts_until_it_reloads()
    {
        using var old = _root.IssueServerCertificate("app.test");
        using var renewed = _root.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, old);
        using var reloader = new ServerCertificateReloader(new ServerCertificateReloaderOptions { RefreshInterval = TimeSpan.FromHours(1), WatchFiles = false });
        reloader.Add(CertPath, KeyPath);
        await using var server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(reloader));
        var source = Served(server.Port, null);

        CertificateFileWriter.WritePem(CertPath, KeyPath, renewed);
        var before = Assert.Single((await _scanner.ScanAsync(source)).Reports);
        reloader.Refresh();
        var after = Assert.Single((await _scanner.ScanAsync(source)).Reports);

        Assert.Contains(before.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        Assert.DoesNotContain(after.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        Assert.Equal(Sha256(renewed), after.Facts.ThumbprintSha256);
    }

    [Fact]
    public async Task Without_a_server_name_the_loopback_address_is_not_judged_as_a_host_name()
    {
        using var leaf = _root.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, leaf);
        await using var server = await TlsTestServer.StartAsync(leaf);

        var report = Assert.Single((await _scanner.ScanAsync(Served(server.Port, null))).Reports);

        Assert.DoesNotContain(report.Findings, f => f.Id == FindingIds.HostnameMismatch);
    }

    [Fact]
    public async Task A_wrong_server_name_is_still_judged()
    {
        using var leaf = _root.IssueServerCertificate("app.test");
        CertificateFileWriter.WritePem(CertPath, KeyPath, leaf);
        await using var server = await TlsTestServer.StartAsync(leaf);

        var report = Assert.Single((await _scanner.ScanAsync(Served(server.Port, "other.test"))).Reports);

        Assert.Contains(report.Findings, f => f.Id == FindingIds.HostnameMismatch);
    }

    [Fact]
    public async Task An_unreadable_configured_file_is_reported_as_an_error_beside_the_served_certificate()
    {
        using var leaf = _root.IssueServerCertificate("app.test");
        await using var server = await TlsTestServer.StartAsync(leaf);
        File.WriteAllText(CertPath, "garbage");

        var scan = await _scanner.ScanAsync(Served(server.Port, "app.test"));

        var report = Assert.Single(scan.Reports);
        Assert.Null(report.Facts.ConfiguredCertificate);
        Assert.Contains(scan.Errors, e => e.Location == CertPath);
        Assert.All(scan.Errors, e => Assert.StartsWith("the configured certificate:", e.Message));
    }

    [Fact]
    public async Task An_endpoint_that_is_down_is_a_load_error_and_the_configured_file_is_not_needed()
    {
        await using var silent = RawTcpServer.Closing(reset: true);
        var source = new ServedCertificateSource("127.0.0.1", silent.Port, new FileCertificateSource(CertPath), "app.test") { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        var scan = await _scanner.ScanAsync(source);

        Assert.Empty(scan.Reports);
        var error = Assert.Single(scan.Errors);
        Assert.Contains(error.Reason, new[] { LoadErrorReason.ConnectionFailed, LoadErrorReason.HandshakeFailed });
        Assert.Equal(source.Location, error.Location);
    }

    [Fact]
    public void Names_itself_after_the_endpoint_and_watches_the_configured_files()
    {
        var source = new ServedCertificateSource("127.0.0.1", 8443, new FileCertificateSource(CertPath, new CertificateLoadOptions { KeyPath = KeyPath }), "app.test");

        Assert.Equal("served", source.Kind);
        Assert.Equal("served:127.0.0.1:8443 (SNI app.test)", source.Name);
        Assert.Equal([CertPath, KeyPath], source.WatchedPaths);
        Assert.True(source.IsRemote);
    }

    private ServedCertificateSource Served(int port, string? serverName, TimeSpan? grace = null) =>
        new("127.0.0.1", port, new FileCertificateSource(CertPath, new CertificateLoadOptions { KeyPath = KeyPath }), serverName)
        {
            ConnectTimeout = HangGuard,
            HandshakeTimeout = HangGuard,
            ReloadGrace = grace ?? TimeSpan.Zero,
        };

    /// <summary>touch -h: sets a symbolic link's own time, which .NET's setters would apply to the target.</summary>
    private static void SetLinkTime(string link, DateTime utc)
    {
        using var touch = System.Diagnostics.Process.Start("touch", ["-h", "-d", "@" + new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeSeconds(), link])!;
        Assert.True(touch.WaitForExit(TimeSpan.FromSeconds(30)) && touch.ExitCode == 0, $"touch -h {link} failed");
        Assert.Equal(utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond)), new FileInfo(link).LastWriteTimeUtc);
    }

    private static string Sha256(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);
}
