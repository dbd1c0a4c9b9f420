using System.Security.Cryptography.X509Certificates;
using CertGuard.Monitoring;
using CertGuard.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CertGuard.Tests.Monitoring;

/// <summary>
/// The verdict matrix (issue 15): real files driven through a rotation in each deployment shape, watched by a real host
/// (Kestrel on loopback, a real GET /health), with the exact HTTP code and status asserted before, during and after.
/// </summary>
public sealed class VerdictMatrixTests : IDisposable
{
    // Hang guards only: each waits for an event (a refresh, a rotation seen), never asserts speed.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Plain_files_rotated_by_rename_stay_healthy()
    {
        var folder = _dir["plain"];
        _dir.Write("plain/tls.pem", Pem("CN=v1.example.test"));
        await using var host = await HostAsync(new DirectoryCertificateSource(folder) { WriteSettleTime = TimeSpan.FromSeconds(10) });
        await host.ExpectAsync(200, "Healthy");

        var rotation = Task.Run(() =>
        {
            _dir.Write("plain/tls.pem.tmp", Pem("CN=v2.example.test"));
            File.Move(_dir["plain/tls.pem.tmp"], _dir["plain/tls.pem"], overwrite: true);
        });
        await host.ExpectThroughoutAsync(200, "Healthy", until: () => rotation.IsCompleted && host.Subjects().SequenceEqual(["CN=v2.example.test"]));
    }

    [Fact]
    public async Task A_kubernetes_secret_volume_swapped_through_data_counts_once_and_stays_healthy()
    {
        var volume = _dir["secret"];
        _dir.Write("secret/..2026_12_06_10_00_00.1/tls.crt", Pem("CN=v1.example.test"));
        File.CreateSymbolicLink(Path.Combine(volume, "..data"), "..2026_12_06_10_00_00.1");
        File.CreateSymbolicLink(Path.Combine(volume, "tls.crt"), "..data/tls.crt");
        await using var host = await HostAsync(new DirectoryCertificateSource(volume) { WriteSettleTime = TimeSpan.FromSeconds(10) });
        await host.ExpectAsync(200, "Healthy");
        Assert.Equal([Path.Combine(volume, "tls.crt")], host.Locations());

        var rotation = Task.Run(() =>
        {
            // What kubelet does: a new timestamped directory, a temporary link to it, renamed over ..data, the old one removed.
            _dir.Write("secret/..2026_12_06_11_00_00.2/tls.crt", Pem("CN=v2.example.test"));
            File.CreateSymbolicLink(Path.Combine(volume, "..data_tmp"), "..2026_12_06_11_00_00.2");
            CertGuard.Tests.Sources.HostileDirectoryTests.Run("mv", "-T", Path.Combine(volume, "..data_tmp"), Path.Combine(volume, "..data"));
            Directory.Delete(Path.Combine(volume, "..2026_12_06_10_00_00.1"), recursive: true);
        });
        await host.ExpectThroughoutAsync(200, "Healthy", until: () => rotation.IsCompleted && host.Subjects().SequenceEqual(["CN=v2.example.test"]));
        Assert.Equal([Path.Combine(volume, "tls.crt")], host.Locations());
    }

    [Fact]
    public async Task A_certbot_tree_renewed_through_live_links_counts_once_and_stays_healthy()
    {
        var root = _dir["letsencrypt"];
        _dir.Write("letsencrypt/archive/example.test/cert1.pem", Pem("CN=v1.example.test"));
        Directory.CreateDirectory(_dir["letsencrypt/live/example.test"]);
        File.CreateSymbolicLink(_dir["letsencrypt/live/example.test/cert.pem"], "../../archive/example.test/cert1.pem");
        await using var host = await HostAsync(new DirectoryCertificateSource(root) { WriteSettleTime = TimeSpan.FromSeconds(10) });
        await host.ExpectAsync(200, "Healthy");

        var rotation = Task.Run(() =>
        {
            _dir.Write("letsencrypt/archive/example.test/cert2.pem", Pem("CN=v2.example.test"));
            File.CreateSymbolicLink(_dir["letsencrypt/live/example.test/cert.pem.new"], "../../archive/example.test/cert2.pem");
            CertGuard.Tests.Sources.HostileDirectoryTests.Run("mv", "-T", _dir["letsencrypt/live/example.test/cert.pem.new"], _dir["letsencrypt/live/example.test/cert.pem"]);
        });

        // The old archive file stays (certbot keeps it): two real files, each counted once, the live one by its live name.
        await host.ExpectThroughoutAsync(200, "Healthy", until: () => rotation.IsCompleted && host.Locations().Count == 2);
        Assert.Contains(Path.Combine(root, "live/example.test/cert.pem"), host.Locations());
    }

    [Fact]
    public async Task One_bad_file_in_a_folder_degrades_it_and_the_rest_is_judged_normally()
    {
        var folder = _dir["mixed"];
        _dir.Write("mixed/good.pem", Pem("CN=good.example.test"));
        await using var host = await HostAsync(new DirectoryCertificateSource(folder) { WriteSettleTime = TimeSpan.FromSeconds(1) });
        await host.ExpectAsync(200, "Healthy");

        _dir.Write("mixed/empty.pem", string.Empty);
        await host.ExpectEventuallyAsync(200, "Degraded");
        Assert.Equal(["CN=good.example.test"], host.Subjects());

        File.Delete(_dir["mixed/empty.pem"]);
        await host.ExpectEventuallyAsync(200, "Healthy");
    }

    [Fact]
    public async Task A_file_written_in_two_halves_two_seconds_apart_never_flips_the_verdict()
    {
        var folder = _dir["halves"];
        var path = _dir.Write("halves/tls.pem", Pem("CN=v1.example.test"));
        await using var host = await HostAsync(new DirectoryCertificateSource(folder) { WriteSettleTime = TimeSpan.FromSeconds(10) });
        await host.ExpectAsync(200, "Healthy");

        var next = Pem("CN=v2.example.test");
        var writer = Task.Run(async () =>
        {
            await using var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite);
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(next[..(next.Length / 2)]));
            await stream.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(next[(next.Length / 2)..]));
        });
        await host.ExpectThroughoutAsync(200, "Healthy", until: () => writer.IsCompleted && host.Subjects().SequenceEqual(["CN=v2.example.test"]));
        await writer;
    }

    [Fact]
    public async Task A_watched_folder_with_two_link_loops_is_checked_and_counts_its_certificate_once()
    {
        var folder = _dir["loops"];
        _dir.Write("loops/good.pem", Pem("CN=good.example.test"));
        File.CreateSymbolicLink(_dir["loops/l1"], ".");
        File.CreateSymbolicLink(_dir["loops/l2"], ".");

        await using var host = await HostAsync(new DirectoryCertificateSource(folder));

        await host.ExpectAsync(200, "Healthy");
        Assert.Equal(["CN=good.example.test"], host.Subjects());
    }

    [Fact]
    public async Task A_named_pipe_is_checked_not_left_pending_and_the_host_stops()
    {
        _dir.Write("pipes/good.pem", Pem("CN=good.example.test"));
        CertGuard.Tests.Sources.HostileDirectoryTests.Run("mkfifo", _dir["pipes/pipe.pem"]);
        CertGuard.Tests.Sources.HostileDirectoryTests.Run("mkfifo", _dir["lone.pem"]);

        // The folder's pipe is a warning beside its good certificate; a configured Path on a pipe cannot serve.
        await using (var folder = await HostAsync(new DirectoryCertificateSource(_dir["pipes"])))
        {
            await folder.ExpectAsync(200, "Degraded");
            Assert.Equal(["CN=good.example.test"], folder.Subjects());
        }

        await using var file = await HostAsync(new FileCertificateSource(_dir["lone.pem"]));
        await file.ExpectAsync(503, "Unhealthy");
    }

    private static string Pem(string subject)
    {
        using var certificate = TestCertificates.Create(subject, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(200), dnsNames: ["example.test"]);
        return TestCertificates.Pem(certificate);
    }

    private static async Task<HealthHost> HostAsync(CertificateSource source)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHealthChecks().AddCertificateSource(source);
        builder.Services.Configure<CertificateMonitorOptions>(o =>
        {
            o.WatchPollInterval = TimeSpan.FromMilliseconds(200);
            o.WatchDebounce = TimeSpan.FromMilliseconds(100);
        });
        var app = builder.Build();
        app.MapHealthChecks("/health");
        await app.StartAsync();
        var monitor = app.Services.GetServices<IHostedService>().OfType<CertificateMonitor>().Single();
        await monitor.FirstRefresh.WaitAsync(HangGuard);
        return new HealthHost(app, monitor);
    }

    private sealed class HealthHost(WebApplication app, CertificateMonitor monitor) : IAsyncDisposable
    {
        private readonly HttpClient _client = new() { BaseAddress = new Uri(app.Urls.First()) };

        public IReadOnlyList<string> Subjects() => monitor.Snapshot.Reports.Select(r => r.Facts.Subject).ToList();

        public IReadOnlyList<string> Locations() => monitor.Snapshot.Reports.Select(r => r.Facts.DisplayLocation).ToList();

        public async Task ExpectAsync(int code, string status)
        {
            var (actualCode, body) = await GetAsync();
            Assert.True(actualCode == code && body == status, $"/health answered {actualCode} {body}, expected {code} {status}; snapshot errors: {string.Join("; ", monitor.Snapshot.Errors)}");
        }

        /// <summary>Asserts every answer until <paramref name="until"/> holds, and once more afterwards.</summary>
        public async Task ExpectThroughoutAsync(int code, string status, Func<bool> until)
        {
            using var guard = new CancellationTokenSource(HangGuard);
            var samples = 0;
            while (!until())
            {
                Assert.False(guard.IsCancellationRequested, $"the rotation was not seen within the hang guard; subjects: {string.Join(", ", Subjects())}");
                await ExpectAsync(code, status);
                samples++;
                await Task.Delay(50);
            }

            await ExpectAsync(code, status);
            Assert.True(samples > 0, "no sample was taken during the rotation");
        }

        public async Task ExpectEventuallyAsync(int code, string status)
        {
            using var guard = new CancellationTokenSource(HangGuard);
            while (await GetAsync() != (code, status))
            {
                Assert.False(guard.IsCancellationRequested, $"/health never answered {code} {status}: {await GetAsync()}");
                await Task.Delay(50);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await app.StopAsync().WaitAsync(HangGuard);
            await app.DisposeAsync();
        }

        private async Task<(int Code, string Body)> GetAsync()
        {
            using var response = await _client.GetAsync("/health");
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}
