using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Policy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CertGuard.AspNetCore.Tests.Matrix;

/// <summary>
/// The served certificate is the truth, in every Kestrel setup: a real app (real Kestrel, real TLS on loopback, real
/// files) is rotated the ways servers are rotated, and each case asserts what is served (as a client that trusts only
/// the root sees it), the /health code and status, and the findings in /health/details. The reloader's fallback
/// interval is ten minutes, so only watching can find a change in time; polls stop at 60 s as a hang guard only.
/// </summary>
public sealed class ServedCertificateMatrixTests : IDisposable
{
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TestCertificateAuthority _intermediate;
    private readonly TempDirectory _directory = new();

    public ServedCertificateMatrixTests() => _intermediate = _root.CreateIntermediate();

    public static TheoryData<string> GoodRotations => ["overwrite-in-place", "write-then-rename", "kubernetes-data-swap", "certbot-relink", "symlinked-directory-swap", "two-halves-2s-apart", "pfx"];

    public static TheoryData<string, string> BadReplacements => new()
    {
        { "garbage", "unreadable" },
        { "expired", "expired" },
        { "key-mismatch", "key-mismatch" },
        { "expired-kubernetes", "expired" },
    };

    public void Dispose()
    {
        _directory.Dispose();
        _intermediate.Dispose();
        _root.Dispose();
    }

    [Theory]
    [MemberData(nameof(GoodRotations))]
    public async Task A_good_rotation_is_served_with_its_chain_and_health_stays_healthy(string rotation)
    {
        using var first = Issue();
        using var second = Issue();
        var files = Install(rotation, first);
        await using var app = await StartWithReloaderAsync(files);
        var port = Assert.Single(app.HttpsPorts);
        await AssertServedAsync(app, port, first);

        await RotateAsync(rotation, files, second);

        var details = await app.WaitForDetailsAsync(d => d.Served.Any(s => HealthDetails.Thumbprint(s) == Sha256(second)));
        var (served, errors) = await ServedApp.HandshakeTrustingOnlyAsync(port, _root.Certificate);
        Assert.Equal(second.Thumbprint, served);

        // The intermediate from the file is sent: a client that trusts only the root, and fetches nothing, accepts it.
        Assert.Equal(SslPolicyErrors.None, errors);
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
        Assert.Equal("Healthy", details.Status);
        Assert.All(details.Certificates, c => Assert.Equal(Sha256(second), HealthDetails.Thumbprint(c)));
        Assert.DoesNotContain(FindingIds.ServedCertificateDrift, details.AllFindingIds);
        Assert.DoesNotContain(FindingIds.ReloadRejected, details.AllFindingIds);
        Assert.Empty(details.Errors);
    }

    [Theory]
    [MemberData(nameof(BadReplacements))]
    public async Task A_bad_replacement_is_refused_the_old_certificate_serves_and_health_is_200_degraded_naming_it(string replacement, string reason)
    {
        using var working = Issue();
        var kubernetes = replacement.EndsWith("kubernetes", StringComparison.Ordinal);
        var files = Install(kubernetes ? "kubernetes-data-swap" : "overwrite-in-place", working);
        await using var app = await StartWithReloaderAsync(files);
        var port = Assert.Single(app.HttpsPorts);
        await AssertServedAsync(app, port, working);

        using var expired = Issue(notBefore: DateTimeOffset.UtcNow.AddDays(-90), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var other = Issue();
        switch (replacement)
        {
            case "garbage":
                File.WriteAllText(files.CertificatePath, "garbage\n");
                break;
            case "expired":
                CertificateFileWriter.WritePem(files.CertificatePath, files.KeyPath!, expired, [_intermediate.Certificate]);
                break;
            case "key-mismatch":
                File.WriteAllText(files.CertificatePath, CertificateFileWriter.CertificatePem(other, [_intermediate.Certificate]));
                break;
            default:
                WriteKubernetes(files.Directory, "v2", expired);
                break;
        }

        var details = await app.WaitForDetailsAsync(d => d.AllFindingIds.Contains(FindingIds.ReloadRejected));
        Assert.Equal(working.Thumbprint, (await ServedApp.HandshakeTrustingOnlyAsync(port, _root.Certificate)).Thumbprint);
        Assert.Equal((200, "Degraded"), await app.HealthAsync());
        Assert.Equal("Degraded", details.Status);
        var reloaded = Assert.Single(details.Reloader);
        Assert.Equal(Sha256(working), HealthDetails.Thumbprint(reloaded));
        var message = HealthDetails.FindingMessage(reloaded, FindingIds.ReloadRejected)!;
        Assert.Contains($"({reason})", message);
        Assert.Contains(files.CertificatePath, message);
        Assert.Contains(FindingIds.ReloadRejected, details.Description);

        // What is served is what the reloader holds: no drift, and nothing unhealthy about the file on disk.
        Assert.All(details.Served, s => Assert.Equal(Sha256(working), HealthDetails.Thumbprint(s)));
        Assert.DoesNotContain(FindingIds.ServedCertificateDrift, details.AllFindingIds);
        Assert.DoesNotContain(FindingIds.Expired, details.AllFindingIds);
        Assert.Empty(details.Errors);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sni_names_are_each_probed_with_their_name_and_a_refused_no_sni_handshake_counts_only_with_a_default(bool withDefault)
    {
        using var alpha = Issue("alpha.test");
        using var beta = Issue("*.beta.test");
        using var fallback = Issue("app.test");
        var alphaFiles = InstallPem("alpha", alpha);
        var betaFiles = InstallPem("beta", beta);
        var fallbackFiles = InstallPem("default", fallback);
        await using var app = await ServedApp.StartAsync(
            builder => builder.Services.AddServerCertificateReloader(reloader =>
            {
                reloader.Add(alphaFiles.CertificatePath, alphaFiles.KeyPath, null, "alpha.test");
                reloader.Add(betaFiles.CertificatePath, betaFiles.KeyPath, null, "*.beta.test");
                if (withDefault)
                {
                    reloader.Add(fallbackFiles.CertificatePath, fallbackFiles.KeyPath, null, "*");
                }
            }, options => options.RefreshInterval = TimeSpan.FromMinutes(10)),
            kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>())));
        var port = Assert.Single(app.HttpsPorts);

        var details = await app.WaitForDetailsAsync(d => d.Served.Count >= (withDefault ? 3 : 2));
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
        Assert.Empty(details.Errors);
        var served = details.Served.ToDictionary(HealthDetails.Location, HealthDetails.Thumbprint);
        Assert.Equal(Sha256(alpha), served[$"https://127.0.0.1:{port} (SNI alpha.test)"]);
        Assert.Equal(Sha256(beta), served[$"https://127.0.0.1:{port} (SNI certguard-probe.beta.test)"]);
        if (withDefault)
        {
            Assert.Equal(Sha256(fallback), served[$"https://127.0.0.1:{port}"]);
        }
        else
        {
            Assert.Equal(2, served.Count);
            Assert.StartsWith("error", await ServedCertificate.ThumbprintAsync(port));
        }

        Assert.DoesNotContain(FindingIds.ServedCertificateDrift, details.AllFindingIds);
    }

    [Fact]
    public async Task Sni_names_from_kestrel_configuration_without_a_default_are_each_probed_with_their_name_and_health_is_200()
    {
        using var alpha = Issue("alpha.test");
        using var beta = Issue("*.beta.test");
        var alphaFiles = InstallPem("alpha", alpha);
        var betaFiles = InstallPem("beta", beta);
        var port = FreePort();
        await using var app = await ServedApp.StartAsync(builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Url"] = $"https://127.0.0.1:{port}",
            ["Kestrel:Endpoints:Https:Sni:alpha.test:Certificate:Path"] = alphaFiles.CertificatePath,
            ["Kestrel:Endpoints:Https:Sni:alpha.test:Certificate:KeyPath"] = alphaFiles.KeyPath,
            ["Kestrel:Endpoints:Https:Sni:*.beta.test:Certificate:Path"] = betaFiles.CertificatePath,
            ["Kestrel:Endpoints:Https:Sni:*.beta.test:Certificate:KeyPath"] = betaFiles.KeyPath,
        }));
        Assert.Equal([port], app.HttpsPorts);

        // Kestrel refuses a client that names no host when there is no "*": by design, not a failure.
        Assert.StartsWith("error", await ServedCertificate.ThumbprintAsync(port));
        Assert.Equal(alpha.Thumbprint, await ServedCertificate.ThumbprintAsync(port, "alpha.test"));
        Assert.Equal(beta.Thumbprint, await ServedCertificate.ThumbprintAsync(port, "www.beta.test"));

        var details = await app.WaitForDetailsAsync(d => d.Served.Count >= 2);
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
        Assert.Equal("Healthy", details.Status);
        Assert.Empty(details.Errors);
        var served = details.Served.ToDictionary(HealthDetails.Location, HealthDetails.Thumbprint);
        Assert.Equal(2, served.Count);
        Assert.Equal(Sha256(alpha), served[$"https://127.0.0.1:{port} (SNI alpha.test)"]);
        Assert.Equal(Sha256(beta), served[$"https://127.0.0.1:{port} (SNI certguard-probe.beta.test)"]);

        // Compared with the configured file of each name: no drift, and nothing reported as set in code.
        Assert.DoesNotContain(FindingIds.ServedCertificateDrift, details.AllFindingIds);
        Assert.DoesNotContain("served-certificate-not-compared", details.AllFindingIds);
    }

    [Theory]
    [InlineData("kestrel-configuration")]
    [InlineData("reloader")]
    public async Task Aspnetcore_https_ports_binding_every_address_is_observed_on_loopback_and_compared(string certificateFrom)
    {
        using var leaf = Issue();
        var files = InstallPem("tls", leaf);
        var httpsPort = FreePort();
        var httpPort = FreePort();
        await using var app = await ServedApp.StartAsync(builder =>
        {
            // What ASPNETCORE_HTTPS_PORTS and ASPNETCORE_HTTP_PORTS set (the environment is shared by parallel tests).
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["https_ports"] = httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["http_ports"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            if (certificateFrom == "reloader")
            {
                builder.Services.AddServerCertificateReloader(reloader => reloader.Add(files.CertificatePath, files.KeyPath), options => options.RefreshInterval = TimeSpan.FromMinutes(10));
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.UseReloadingCertificate(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>())));
            }
            else
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Kestrel:Certificates:Default:Path"] = files.CertificatePath,
                    ["Kestrel:Certificates:Default:KeyPath"] = files.KeyPath,
                });
            }
        });

        // Kestrel bound the wildcard address, not loopback; CertGuard reaches it on loopback.
        var address = Assert.Single(app.HttpsAddresses);
        Assert.Equal($"https://[::]:{httpsPort}", address);
        Assert.Equal(leaf.Thumbprint, await ServedCertificate.ThumbprintAsync(httpsPort));

        var details = await app.WaitForDetailsAsync(d => d.Served.Count == 1);
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
        Assert.Equal("Healthy", details.Status);
        Assert.Empty(details.Errors);
        var served = Assert.Single(details.Served);
        Assert.Equal(address, HealthDetails.Location(served));
        Assert.Equal(Sha256(leaf), HealthDetails.Thumbprint(served));

        // Compared with what should be served (Kestrel's default certificate, or the reloader's): not "set in code".
        Assert.DoesNotContain("served-certificate-not-compared", HealthDetails.FindingIds(served));
        Assert.DoesNotContain(FindingIds.ServedCertificateDrift, details.AllFindingIds);
    }

    [Fact]
    public async Task Two_endpoints_are_each_observed()
    {
        using var leaf = Issue();
        var files = InstallPem("tls", leaf);
        await using var app = await ServedApp.StartAsync(
            builder => builder.Services.AddServerCertificateReloader(reloader => reloader.Add(files.CertificatePath, files.KeyPath), options => options.RefreshInterval = TimeSpan.FromMinutes(10)),
            kestrel =>
            {
                var reloader = kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>();
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(reloader));
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(reloader));
            });
        Assert.Equal(2, app.HttpsPorts.Count);

        var details = await app.WaitForDetailsAsync(d => d.Served.Count == 2);
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
        Assert.Equal(app.HttpsPorts.Select(p => $"https://127.0.0.1:{p}").Order(), details.Served.Select(HealthDetails.Location).Order());
        Assert.All(details.Served, s => Assert.Equal(Sha256(leaf), HealthDetails.Thumbprint(s)));
        Assert.DoesNotContain(FindingIds.ServedCertificateDrift, details.AllFindingIds);
    }

    [Fact]
    public async Task Certificates_set_in_code_are_observed_by_handshake_never_healthy_about_nothing()
    {
        using var inCode = Issue();
        using var bySelector = Issue("selected.test");
        await using var app = await ServedApp.StartAsync(
            _ => { },
            kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(inCode));
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => bySelector));
            });

        var details = await app.WaitForDetailsAsync(d => d.Served.Count == 2);
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
        Assert.DoesNotContain("No certificates", details.Description, StringComparison.Ordinal);
        Assert.Equal([Sha256(inCode), Sha256(bySelector)], details.Served.Select(HealthDetails.Thumbprint).Order().ToArray() is var t && t[0] == Sha256(inCode) ? t : t.Reverse().ToArray());
        Assert.All(details.Served, s => Assert.Contains("served-certificate-not-compared", HealthDetails.FindingIds(s)));
    }

    [Fact]
    public async Task Listen_in_code_with_aspnetcore_urls_set_observes_only_what_kestrel_bound()
    {
        using var leaf = Issue();
        var files = InstallPem("tls", leaf);
        var ignoredPort = FreePort();
        await using var app = await ServedApp.StartAsync(
            builder =>
            {
                // Kestrel ignores these URLs once Listen is called in code; CertGuard must too.
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = $"https://127.0.0.1:{ignoredPort}" });
                builder.Services.AddServerCertificateReloader(reloader => reloader.Add(files.CertificatePath, files.KeyPath), options => options.RefreshInterval = TimeSpan.FromMinutes(10));
            },
            kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>())));
        var port = Assert.Single(app.HttpsPorts);

        var details = await app.WaitForDetailsAsync(d => d.Served.Count == 1);
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
        Assert.Equal($"https://127.0.0.1:{port}", HealthDetails.Location(Assert.Single(details.Served)));
        Assert.Empty(details.Errors);
        Assert.DoesNotContain(ignoredPort.ToString(System.Globalization.CultureInfo.InvariantCulture), details.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aspnetcore_urls_with_the_reloader_as_https_default_is_observed_and_reloads_are_shown_at_once()
    {
        using var first = Issue();
        using var second = Issue();
        var files = InstallPem("tls", first);
        var port = FreePort();
        await using var app = await ServedApp.StartAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = $"https://127.0.0.1:{port};http://127.0.0.1:0" });
            builder.Services.AddServerCertificateReloader(reloader => reloader.Add(files.CertificatePath, files.KeyPath), options => options.RefreshInterval = TimeSpan.FromMinutes(10));
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.UseReloadingCertificate(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>())));
        });
        await AssertServedAsync(app, port, first);

        CertificateFileWriter.WritePem(files.CertificatePath, files.KeyPath!, second, [_intermediate.Certificate]);

        var details = await app.WaitForDetailsAsync(d => d.Served.Any(s => HealthDetails.Thumbprint(s) == Sha256(second)));
        var (served, errors) = await ServedApp.HandshakeTrustingOnlyAsync(port, _root.Certificate);
        Assert.Equal(second.Thumbprint, served);
        Assert.Equal(SslPolicyErrors.None, errors);
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
        Assert.Equal(Sha256(second), HealthDetails.Thumbprint(Assert.Single(details.Reloader)));
        Assert.DoesNotContain(FindingIds.ServedCertificateDrift, details.AllFindingIds);
    }

    [Fact]
    public async Task A_reload_refreshes_the_served_view_at_once_without_waiting_for_any_interval()
    {
        using var first = Issue();
        using var second = Issue();
        var files = InstallPem("tls", first);

        // Nothing but the reload itself can refresh health here: no file events, polls and intervals of ten minutes.
        await using var app = await ServedApp.StartAsync(
            builder =>
            {
                builder.Services.AddServerCertificateReloader(reloader => reloader.Add(files.CertificatePath, files.KeyPath), options =>
                {
                    options.RefreshInterval = TimeSpan.FromMinutes(10);
                    options.WatchFiles = false;
                });
                builder.Services.Configure<CertGuard.Monitoring.CertificateMonitorOptions>(options =>
                {
                    options.RefreshInterval = TimeSpan.FromMinutes(10);
                    options.WatchPollInterval = TimeSpan.FromMinutes(10);
                    options.UseFileSystemNotifications = false;
                });
            },
            kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>())));
        var port = Assert.Single(app.HttpsPorts);
        await AssertServedAsync(app, port, first);
        var reloader = app.Services.GetRequiredService<ServerCertificateReloader>();

        CertificateFileWriter.WritePem(files.CertificatePath, files.KeyPath!, second, [_intermediate.Certificate]);
        reloader.Refresh();
        var reloaded = await app.WaitForDetailsAsync(d => d.Served.Count == 1 && d.Certificates.All(c => HealthDetails.Thumbprint(c) == Sha256(second)));
        Assert.All(reloaded.Certificates, c => Assert.Equal(Sha256(second), HealthDetails.Thumbprint(c)));
        Assert.Equal((200, "Healthy"), await app.HealthAsync());

        File.WriteAllText(files.CertificatePath, "garbage\n");
        reloader.Refresh();
        var refused = await app.WaitForDetailsAsync(d => d.AllFindingIds.Contains(FindingIds.ReloadRejected));
        Assert.Contains(FindingIds.ReloadRejected, HealthDetails.FindingIds(Assert.Single(refused.Reloader)));
        Assert.Equal((200, "Degraded"), await app.HealthAsync());
    }

    private async Task AssertServedAsync(ServedApp app, int port, X509Certificate2 expected)
    {
        var details = await app.WaitForDetailsAsync(d => d.Served.Count > 0);
        Assert.Equal(expected.Thumbprint, await ServedCertificate.ThumbprintAsync(port));
        Assert.Equal(Sha256(expected), HealthDetails.Thumbprint(details.Served[0]));
        Assert.Equal((200, "Healthy"), await app.HealthAsync());
    }

    private static Task<ServedApp> StartWithReloaderAsync(InstalledFiles files) => ServedApp.StartAsync(
        builder => builder.Services.AddServerCertificateReloader(reloader => reloader.Add(files.CertificatePath, files.KeyPath, files.Password), options => options.RefreshInterval = TimeSpan.FromMinutes(10)),
        kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>())));

    private X509Certificate2 Issue(string name = "app.test", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        _intermediate.IssueServerCertificate(name, [name], [IPAddress.Loopback], notBefore, notAfter);

    private InstalledFiles InstallPem(string name, X509Certificate2 certificate)
    {
        var files = new InstalledFiles(_directory.Path, Path.Combine(_directory.Path, name + ".crt"), Path.Combine(_directory.Path, name + ".key"), null);
        CertificateFileWriter.WritePem(files.CertificatePath, files.KeyPath!, certificate, [_intermediate.Certificate]);
        return files;
    }

    private InstalledFiles Install(string layout, X509Certificate2 certificate)
    {
        var root = _directory.Path;
        switch (layout)
        {
            case "kubernetes-data-swap":
                {
                    var secret = Directory.CreateDirectory(Path.Combine(root, "secret")).FullName;
                    WriteKubernetes(secret, "v1", certificate);
                    return new InstalledFiles(secret, Path.Combine(secret, "tls.crt"), Path.Combine(secret, "tls.key"), null);
                }

            case "certbot-relink":
                {
                    var archive = Directory.CreateDirectory(Path.Combine(root, "archive", "app")).FullName;
                    var live = Directory.CreateDirectory(Path.Combine(root, "live", "app")).FullName;
                    CertificateFileWriter.WritePem(Path.Combine(archive, "fullchain1.pem"), Path.Combine(archive, "privkey1.pem"), certificate, [_intermediate.Certificate]);
                    File.CreateSymbolicLink(Path.Combine(live, "fullchain.pem"), "../../archive/app/fullchain1.pem");
                    File.CreateSymbolicLink(Path.Combine(live, "privkey.pem"), "../../archive/app/privkey1.pem");
                    return new InstalledFiles(live, Path.Combine(live, "fullchain.pem"), Path.Combine(live, "privkey.pem"), null);
                }

            case "symlinked-directory-swap":
                {
                    var first = Directory.CreateDirectory(Path.Combine(root, "d1")).FullName;
                    CertificateFileWriter.WritePem(Path.Combine(first, "tls.crt"), Path.Combine(first, "tls.key"), certificate, [_intermediate.Certificate]);
                    Directory.CreateSymbolicLink(Path.Combine(root, "live"), first);
                    return new InstalledFiles(root, Path.Combine(root, "live", "tls.crt"), Path.Combine(root, "live", "tls.key"), null);
                }

            case "pfx":
                {
                    var files = new InstalledFiles(root, Path.Combine(root, "tls.pfx"), null, "pfx-Passw0rd");
                    WritePfx(files, certificate);
                    return files;
                }

            default:
                return InstallPem("tls", certificate);
        }
    }

    private async Task RotateAsync(string layout, InstalledFiles files, X509Certificate2 certificate)
    {
        switch (layout)
        {
            case "overwrite-in-place":
                CertificateFileWriter.WritePem(files.CertificatePath, files.KeyPath!, certificate, [_intermediate.Certificate]);
                break;
            case "write-then-rename":
                CertificateFileWriter.WritePem(files.CertificatePath + ".tmp", files.KeyPath + ".tmp", certificate, [_intermediate.Certificate]);
                CertificateFileWriter.Rename(files.KeyPath + ".tmp", files.KeyPath!);
                CertificateFileWriter.Rename(files.CertificatePath + ".tmp", files.CertificatePath);
                break;
            case "kubernetes-data-swap":
                WriteKubernetes(files.Directory, "v2", certificate);
                break;
            case "certbot-relink":
                {
                    var archive = Path.Combine(_directory.Path, "archive", "app");
                    CertificateFileWriter.WritePem(Path.Combine(archive, "fullchain2.pem"), Path.Combine(archive, "privkey2.pem"), certificate, [_intermediate.Certificate]);
                    foreach (var (link, target) in new[] { ("privkey.pem", "privkey2.pem"), ("fullchain.pem", "fullchain2.pem") })
                    {
                        var staging = Path.Combine(files.Directory, link + ".new");
                        File.CreateSymbolicLink(staging, "../../archive/app/" + target);
                        CertificateFileWriter.Rename(staging, Path.Combine(files.Directory, link));
                    }

                    break;
                }

            case "symlinked-directory-swap":
                {
                    // ln -s d2 live.tmp && mv -T live.tmp live
                    var second = Directory.CreateDirectory(Path.Combine(_directory.Path, "d2")).FullName;
                    CertificateFileWriter.WritePem(Path.Combine(second, "tls.crt"), Path.Combine(second, "tls.key"), certificate, [_intermediate.Certificate]);
                    Directory.CreateSymbolicLink(Path.Combine(_directory.Path, "live.tmp"), second);
                    CertificateFileWriter.Rename(Path.Combine(_directory.Path, "live.tmp"), Path.Combine(_directory.Path, "live"));
                    break;
                }

            case "two-halves-2s-apart":
                {
                    File.WriteAllText(files.KeyPath!, CertificateFileWriter.KeyPem(certificate));
                    var pem = CertificateFileWriter.CertificatePem(certificate, [_intermediate.Certificate]);
                    File.WriteAllText(files.CertificatePath, pem[..(pem.Length / 2)]);
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    File.AppendAllText(files.CertificatePath, pem[(pem.Length / 2)..]);
                    break;
                }

            case "pfx":
                WritePfx(files, certificate);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(layout), layout, null);
        }
    }

    private void WriteKubernetes(string directory, string version, X509Certificate2 certificate)
    {
        // As the kubelet: a new version directory with the full chain, then an atomic swap of ..data.
        CertificateFileWriter.WriteKubernetesSecret(directory, version, certificate);
        File.WriteAllText(Path.Combine(directory, ".." + version, "tls.crt"), CertificateFileWriter.CertificatePem(certificate, [_intermediate.Certificate]));
    }

    private void WritePfx(InstalledFiles files, X509Certificate2 certificate)
    {
        var collection = new X509Certificate2Collection { certificate, X509CertificateLoader.LoadCertificate(_intermediate.Certificate.RawData) };
        File.WriteAllBytes(files.CertificatePath, collection.Export(X509ContentType.Pkcs12, files.Password)!);
    }

    private static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private sealed record InstalledFiles(string Directory, string CertificatePath, string? KeyPath, string? Password);
}
