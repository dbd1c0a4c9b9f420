using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CertGuard.AspNetCore.Discovery;
using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.Tests.Discovery;

public sealed class KestrelCertificateDiscoveryTests : IDisposable
{
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        _directory.Dispose();
        _root.Dispose();
    }

    [Fact]
    public void Finds_the_default_certificate_every_endpoint_certificate_and_every_sni_certificate()
    {
        var configuration = Configuration(new()
        {
            ["Kestrel:Certificates:Default:Path"] = "/certs/default.pem",
            ["Kestrel:Certificates:Default:KeyPath"] = "/certs/default.key",
            ["Kestrel:Endpoints:Public:Url"] = "https://*:443",
            ["Kestrel:Endpoints:Public:Certificate:Path"] = "/certs/public.pfx",
            ["Kestrel:Endpoints:Public:Certificate:Password"] = "pfx-password",
            ["Kestrel:Endpoints:Public:Sni:api.test:Certificate:Path"] = "/certs/api.pem",
            ["Kestrel:Endpoints:Admin:Url"] = "https://localhost:8443",
            ["Kestrel:Endpoints:Admin:Certificate:Subject"] = "admin.test",
            ["Kestrel:Endpoints:Admin:Certificate:Store"] = "Root",
            ["Kestrel:Endpoints:Admin:Certificate:Location"] = "LocalMachine",
            ["Kestrel:Endpoints:Plain:Url"] = "http://*:80",
        });

        var sources = new KestrelCertificateDiscovery(configuration).DiscoverConfigured();

        Assert.Equal(["kestrel:default", "kestrel:endpoint:Admin", "kestrel:endpoint:Public", "kestrel:endpoint:Public:sni:api.test"], sources.Select(s => s.Name).Order());
        var fallback = Assert.IsType<FileCertificateSource>(sources.Single(s => s.Name == "kestrel:default"));
        Assert.Equal("/certs/default.pem", fallback.Path);
        Assert.Equal(["/certs/default.pem", "/certs/default.key"], fallback.WatchedPaths);
        var store = Assert.IsType<StoreCertificateSource>(sources.Single(s => s.Name == "kestrel:endpoint:Admin"));
        Assert.Equal("Root", store.StoreName);
        Assert.Equal(StoreLocation.LocalMachine, store.StoreLocation);
        Assert.Equal("admin.test", store.Subject);
        Assert.Equal("/certs/api.pem", Assert.IsType<FileCertificateSource>(sources.Single(s => s.Name.EndsWith("api.test", StringComparison.Ordinal))).Path);
    }

    [Fact]
    public async Task A_pfx_password_from_configuration_opens_the_file()
    {
        using var leaf = _root.IssueServerCertificate("app.test");
        var pfx = Path.Combine(_directory.Path, "app.pfx");
        CertificateFileWriter.WritePfx(pfx, leaf, "pfx-Passw0rd");
        var configuration = Configuration(new()
        {
            ["Kestrel:Endpoints:Https:Certificate:Path"] = pfx,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = "pfx-Passw0rd",
        });

        var source = Assert.Single(new KestrelCertificateDiscovery(configuration).DiscoverConfigured());
        var scan = await new CertificateScanner().ScanAsync(source);

        Assert.Empty(scan.Errors);
        Assert.Equal(leaf.Thumbprint, Assert.Single(scan.Reports).Facts.ThumbprintSha1);
        Assert.DoesNotContain("pfx-Passw0rd", source.ToString());
    }

    [Fact]
    public void The_same_file_configured_twice_is_one_source_named_after_its_first_use()
    {
        var configuration = Configuration(new()
        {
            ["Kestrel:Certificates:Default:Path"] = "/certs/shared.pem",
            ["Kestrel:Endpoints:A:Certificate:Path"] = "/certs/shared.pem",
            ["Kestrel:Endpoints:B:Certificate:Path"] = "/certs/b.pem",
        });

        var sources = new KestrelCertificateDiscovery(configuration).DiscoverConfigured();

        Assert.Equal(["kestrel:default", "kestrel:endpoint:B"], sources.Select(s => s.Name));
    }

    [Fact]
    public void Nothing_configured_is_nothing_found_and_an_entry_with_neither_path_nor_subject_is_skipped()
    {
        Assert.Empty(new KestrelCertificateDiscovery(Configuration(new())).DiscoverConfigured());
        Assert.Empty(new KestrelCertificateDiscovery(Configuration(new() { ["Kestrel:Endpoints:A:Certificate:Password"] = "x", ["Kestrel:Endpoints:A:Url"] = "https://*:5001" })).DiscoverConfigured());
    }

    [Fact]
    public void The_reloaders_files_are_found_named_after_their_server_names()
    {
        using var fallback = _root.IssueServerCertificate("default.test");
        using var api = _root.IssueServerCertificate("api.test");
        CertificateFileWriter.WritePem(Path.Combine(_directory.Path, "d.crt"), Path.Combine(_directory.Path, "d.key"), fallback);
        CertificateFileWriter.WritePem(Path.Combine(_directory.Path, "a.crt"), Path.Combine(_directory.Path, "a.key"), api);
        using var reloader = new ServerCertificateReloader(new ServerCertificateReloaderOptions { WatchFiles = false });
        reloader.Add(Path.Combine(_directory.Path, "d.crt"), Path.Combine(_directory.Path, "d.key"));
        reloader.Add(Path.Combine(_directory.Path, "a.crt"), Path.Combine(_directory.Path, "a.key"), null, "api.test", "www.api.test");

        var sources = new KestrelCertificateDiscovery(Configuration(new()), reloader).DiscoverConfigured();

        Assert.Equal(["reloader:default", "reloader:api.test,www.api.test"], sources.Select(s => s.Name));
        Assert.Equal([Path.Combine(_directory.Path, "a.crt"), Path.Combine(_directory.Path, "a.key")], sources[1].WatchedPaths);
    }

    [Fact]
    public void Served_sources_cover_loopback_and_wildcard_https_endpoints_with_fixed_ports_and_their_sni_names()
    {
        var configuration = Configuration(new()
        {
            ["Kestrel:Certificates:Default:Path"] = "/certs/default.pem",
            ["Kestrel:Endpoints:Wildcard:Url"] = "https://*:5001",
            ["Kestrel:Endpoints:Wildcard:Sni:api.test:Certificate:Path"] = "/certs/api.pem",
            ["Kestrel:Endpoints:Wildcard:Sni:*.cdn.test:Certificate:Path"] = "/certs/cdn.pem",
            ["Kestrel:Endpoints:Local:Url"] = "https://localhost:5002",
            ["Kestrel:Endpoints:Local:Certificate:Path"] = "/certs/local.pem",
            ["Kestrel:Endpoints:V6:Url"] = "https://[::1]:5003",
            ["Kestrel:Endpoints:Dynamic:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Remote:Url"] = "https://192.0.2.10:5004",
            ["Kestrel:Endpoints:Plain:Url"] = "http://*:5005",
            ["urls"] = "https://+:5006;http://+:5007",
        });

        var served = new KestrelCertificateDiscovery(configuration).DiscoverServed();

        Assert.Equal(
            ["served:endpoint:Local", "served:endpoint:V6", "served:endpoint:Wildcard", "served:endpoint:Wildcard:sni:api.test", "served:https://+:5006"],
            served.Select(s => s.Name));
        Assert.Equal(["127.0.0.1:5002", "[::1]:5003", "127.0.0.1:5001", "127.0.0.1:5001 (SNI api.test)", "127.0.0.1:5006"], served.Select(s => s.Location));
        Assert.Equal("/certs/local.pem", served[0].Configured.Location);
        Assert.Equal("/certs/default.pem", served[1].Configured.Location);
        Assert.Equal("/certs/default.pem", served[2].Configured.Location);
        Assert.Equal("/certs/api.pem", served[3].Configured.Location);
        Assert.Equal("/certs/default.pem", served[4].Configured.Location);
    }

    [Fact]
    public async Task Kestrel_configured_from_configuration_drifts_when_its_certificate_file_is_renewed_on_disk()
    {
        using var first = _root.IssueServerCertificate("app.test");
        using var renewed = _root.IssueServerCertificate("app.test");
        var certPath = Path.Combine(_directory.Path, "app.crt");
        var keyPath = Path.Combine(_directory.Path, "app.key");
        CertificateFileWriter.WritePem(certPath, keyPath, first);
        var port = FreeLoopbackPort();
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Https:Url"] = $"https://127.0.0.1:{port}",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certPath,
            ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = keyPath,
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseKestrelHttpsConfiguration();
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("ok"));
        await app.StartAsync();

        var served = Assert.Single(new KestrelCertificateDiscovery(app.Configuration).DiscoverServed());
        var scanner = new CertificateScanner();
        var before = Assert.Single((await scanner.ScanAsync(served)).Reports);
        CertificateFileWriter.WritePem(certPath, keyPath, renewed);

        // Renewed a while ago: past the grace a server gets to pick up a new file.
        File.SetLastWriteTimeUtc(certPath, DateTime.UtcNow.AddMinutes(-10));
        File.SetLastWriteTimeUtc(keyPath, DateTime.UtcNow.AddMinutes(-10));
        var after = Assert.Single((await scanner.ScanAsync(served)).Reports);
        await app.StopAsync();

        Assert.DoesNotContain(before.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        Assert.Contains(after.Findings, f => f.Id == FindingIds.ServedCertificateDrift);
        Assert.Equal(first.Thumbprint, after.Facts.ThumbprintSha1);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
