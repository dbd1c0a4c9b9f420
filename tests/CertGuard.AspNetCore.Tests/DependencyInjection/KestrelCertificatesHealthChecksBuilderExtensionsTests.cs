using System.Net;
using System.Net.Sockets;
using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Monitoring;
using CertGuard.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.Tests.DependencyInjection;

public sealed class KestrelCertificatesHealthChecksBuilderExtensionsTests : IDisposable
{
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        _directory.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task One_line_watches_the_configured_file_and_what_the_reloader_actually_serves()
    {
        using var leaf = _root.IssueServerCertificate("app.test");
        var certPath = Path.Combine(_directory.Path, "tls.crt");
        var keyPath = Path.Combine(_directory.Path, "tls.key");
        CertificateFileWriter.WritePem(certPath, keyPath, leaf);

        // Deployed a while ago: past the grace a server gets to pick up a new file, so the comparison is made.
        File.SetLastWriteTimeUtc(certPath, DateTime.UtcNow.AddMinutes(-10));
        File.SetLastWriteTimeUtc(keyPath, DateTime.UtcNow.AddMinutes(-10));
        var port = FreeLoopbackPort();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"https://127.0.0.1:{port}",
            ["Kestrel:Certificates:Default:Path"] = certPath,
            ["Kestrel:Certificates:Default:KeyPath"] = keyPath,
        });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Services.AddServerCertificateReloader(reloader => reloader.Add(certPath, keyPath), options => options.WatchFiles = false);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            https.UseReloadingCertificate(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>())));
        builder.Services.AddHealthChecks().AddKestrelCertificates(tags: ["ready"]);
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("ok"));
        await app.StartAsync();
        var monitor = app.Services.GetRequiredService<CertificateMonitor>();
        await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(30));

        var sources = monitor.Snapshot.SourcesOf("kestrel-certificates");
        var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await app.StopAsync();

        // The reloader's file is Kestrel's default file: reported once, as what the reloader serves.
        Assert.Equal(["reloader:default", "served:kestrel-certificates"], sources.Select(s => s.Source.Name).Order());
        Assert.All(sources, s => Assert.True(s.Errors.Count == 0, s.Source.Name + ": " + string.Join("; ", s.Errors)));
        var served = Assert.Single(sources.Single(s => s.Source.Kind == "served").Reports);
        Assert.Equal(leaf.Thumbprint, served.Facts.ThumbprintSha1);
        Assert.Equal($"https://127.0.0.1:{port}", served.Facts.Location);
        Assert.Equal(served.Facts.ThumbprintSha256, served.Facts.ConfiguredCertificate!.ThumbprintSha256);
        Assert.DoesNotContain(served.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        Assert.Contains("kestrel-certificates", health.Entries.Keys);
        Assert.Contains("ready", health.Entries["kestrel-certificates"].Tags);
    }

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
