using System.Runtime.InteropServices;
using CertGuard.Monitoring;
using CertGuard.Sources;
using CertGuard.Tests.TestSupport;

namespace CertGuard.Tests.Monitoring;

/// <summary>Real files, real symbolic links, real clock: a change must trigger a refresh long before the hour-long interval.</summary>
public sealed class FileWatchingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-watch-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_rewritten_file_triggers_a_refresh_through_notifications()
    {
        var now = DateTimeOffset.UtcNow;
        using var first = MintedCertificates.WithDaysLeft("first.example", now, 60);
        using var second = MintedCertificates.WithDaysLeft("second.example", now, 60);
        var path = MintedCertificates.WritePem(Path.Combine(_directory, "tls.crt"), first);
        using var monitor = MonitorFactory.Create(TimeProvider.System, [new FileCertificateSource(path, name: "tls")]);

        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("CN=first.example", monitor.Snapshot.Reports[0].Facts.Subject);

        MintedCertificates.WritePem(path, second);
        await Eventually.TrueAsync(() => monitor.Snapshot.Reports is [{ Facts.Subject: "CN=second.example" }], "the notification to trigger a refresh");
        await monitor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_new_file_in_a_watched_directory_triggers_a_refresh()
    {
        var now = DateTimeOffset.UtcNow;
        using var first = MintedCertificates.WithDaysLeft("first.example", now, 60);
        using var second = MintedCertificates.WithDaysLeft("second.example", now, 60);
        MintedCertificates.WritePem(Path.Combine(_directory, "a.pem"), first);
        using var monitor = MonitorFactory.Create(TimeProvider.System, [new DirectoryCertificateSource(_directory, name: "dir")]);

        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Single(monitor.Snapshot.Reports);

        MintedCertificates.WritePem(Path.Combine(_directory, "b.pem"), second);
        await Eventually.TrueAsync(() => monitor.Snapshot.Reports.Count == 2, "the new file to be picked up");
        await monitor.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_Kubernetes_style_atomic_symlink_swap_triggers_a_refresh(bool notifications, bool poll)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // rename(2) of a symbolic link is the Unix case this test is about.
        }

        var now = DateTimeOffset.UtcNow;
        using var first = MintedCertificates.WithDaysLeft("first.example", now, 60);
        using var second = MintedCertificates.WithDaysLeft("second.example", now, 60);

        // The layout of a Kubernetes secret volume: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>.
        Directory.CreateDirectory(Path.Combine(_directory, "..2026_01"));
        MintedCertificates.WritePem(Path.Combine(_directory, "..2026_01", "tls.crt"), first);
        File.CreateSymbolicLink(Path.Combine(_directory, "..data"), "..2026_01");
        File.CreateSymbolicLink(Path.Combine(_directory, "tls.crt"), Path.Combine("..data", "tls.crt"));
        var path = Path.Combine(_directory, "tls.crt");

        using var monitor = MonitorFactory.Create(TimeProvider.System, [new FileCertificateSource(path, name: "tls")], o =>
        {
            o.UseFileSystemNotifications = notifications;
            o.WatchPollInterval = poll ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromHours(1);
        });
        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("CN=first.example", monitor.Snapshot.Reports[0].Facts.Subject);

        // The kubelet's swap: write the new data directory, link ..data_tmp to it, rename the link over ..data.
        Directory.CreateDirectory(Path.Combine(_directory, "..2026_02"));
        MintedCertificates.WritePem(Path.Combine(_directory, "..2026_02", "tls.crt"), second);
        File.CreateSymbolicLink(Path.Combine(_directory, "..data_tmp"), "..2026_02");
        Rename(Path.Combine(_directory, "..data_tmp"), Path.Combine(_directory, "..data"));

        await Eventually.TrueAsync(() => monitor.Snapshot.Reports is [{ Facts.Subject: "CN=second.example" }], "the swap to trigger a refresh");
        await monitor.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_certbot_style_link_repoint_triggers_a_refresh(bool notifications, bool poll)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // rename(2) of a symbolic link is the Unix case this test is about.
        }

        var now = DateTimeOffset.UtcNow;
        using var first = MintedCertificates.WithDaysLeft("first.example", now, 60);
        using var second = MintedCertificates.WithDaysLeft("second.example", now, 60);
        var archive = Directory.CreateDirectory(Path.Combine(_directory, "archive")).FullName;
        var live = Directory.CreateDirectory(Path.Combine(_directory, "live")).FullName;
        MintedCertificates.WritePem(Path.Combine(archive, "cert1.pem"), first);
        File.CreateSymbolicLink(Path.Combine(live, "cert.pem"), Path.Combine("..", "archive", "cert1.pem"));

        using var monitor = MonitorFactory.Create(TimeProvider.System, [new FileCertificateSource(Path.Combine(live, "cert.pem"), name: "certbot")], o =>
        {
            o.UseFileSystemNotifications = notifications;
            o.WatchPollInterval = poll ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromHours(1);
        });
        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));

        MintedCertificates.WritePem(Path.Combine(archive, "cert2.pem"), second);
        File.CreateSymbolicLink(Path.Combine(live, "cert.pem.new"), Path.Combine("..", "archive", "cert2.pem"));
        Rename(Path.Combine(live, "cert.pem.new"), Path.Combine(live, "cert.pem"));

        await Eventually.TrueAsync(() => monitor.Snapshot.Reports is [{ Facts.Subject: "CN=second.example" }], "the repointed link to be noticed");
        await monitor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Without_a_change_the_file_is_not_reloaded_before_the_interval()
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = MintedCertificates.WithDaysLeft("quiet.example", now, 60);
        var path = MintedCertificates.WritePem(Path.Combine(_directory, "quiet.crt"), certificate);
        using var monitor = MonitorFactory.Create(TimeProvider.System, [new FileCertificateSource(path, name: "quiet")], o => o.WatchPollInterval = TimeSpan.FromMilliseconds(50));

        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        var version = monitor.Snapshot.Version;
        await Task.Delay(500);

        Assert.Equal(version, monitor.Snapshot.Version);
        await monitor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Rewriting_the_target_of_a_watched_link_in_place_triggers_a_refresh_through_notifications()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links need privileges there.
        }

        var now = DateTimeOffset.UtcNow;
        using var first = MintedCertificates.WithDaysLeft("first.example", now, 60);
        using var second = MintedCertificates.WithDaysLeft("second.example", now, 60);
        var store = Directory.CreateDirectory(Path.Combine(_directory, "store")).FullName;
        var target = MintedCertificates.WritePem(Path.Combine(store, "real.pem"), first);
        var link = Path.Combine(_directory, "tls.crt");
        File.CreateSymbolicLink(link, target);
        using var monitor = MonitorFactory.Create(TimeProvider.System, [new FileCertificateSource(link, name: "linked")], o => o.WatchPollInterval = TimeSpan.FromHours(1));
        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));

        MintedCertificates.WritePem(target, second);

        await Eventually.TrueAsync(() => monitor.Snapshot.Reports is [{ Facts.Subject: "CN=second.example" }], "the rewritten target to be noticed");
        await monitor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Writes_to_an_unrelated_file_beside_watched_certificates_refresh_nothing()
    {
        // An application logging into its certificate directory once refreshed every source there on every line.
        var now = DateTimeOffset.UtcNow;
        using var certificate = MintedCertificates.WithDaysLeft("busy.example", now, 60);
        var sources = Enumerable.Range(0, 20)
            .Select(i => new FileCertificateSource(MintedCertificates.WritePem(Path.Combine(_directory, $"cert-{i}.pem"), certificate), name: $"cert-{i}"))
            .ToArray();
        using var monitor = MonitorFactory.Create(TimeProvider.System, sources, o => o.WatchPollInterval = TimeSpan.FromHours(1));
        await monitor.StartAsync(CancellationToken.None);
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        var version = monitor.Snapshot.Version;

        var log = Path.Combine(_directory, "app.log");
        for (var line = 0; line < 50; line++)
        {
            await File.AppendAllTextAsync(log, $"line {line}\n");
            await Task.Delay(10);
        }

        await Task.Delay(1_000);
        Assert.Equal(version, monitor.Snapshot.Version);
        await monitor.StopAsync(CancellationToken.None);
    }

    /// <summary>rename(2): atomically replaces a link, which <see cref="File.Move(string, string, bool)"/> will not do over a link to a directory.</summary>
    private static void Rename(string from, string to)
    {
        if (RenameNative(from, to) != 0)
        {
            throw new IOException($"rename failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int RenameNative([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);
}
