using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CertGuard.Samples.WebApi.Tests;

/// <summary>
/// In the sample's setup (Kestrel:Certificates:Default served through the reloader, Kestrel's configuration reload
/// off), the reloader is the certificate's one owner: a bad replacement is refused with one Error line, and Kestrel
/// does not log "Unable to reload configuration" (crit) about the same file. Real Kestrel on loopback, real TLS.
/// </summary>
public sealed class CertificateOwnerTests : IDisposable
{
    private const int RefusedEventId = 6102;
    private const int ServingEventId = 6101;
    private readonly string _directory = Directory.CreateTempSubdirectory("certguard-owner-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_bad_replacement_is_refused_once_by_the_reloader_and_kestrel_logs_no_critical_reload_failure()
    {
        using var first = Issue();
        using var second = Issue();
        var certificatePath = Path.Combine(_directory, "tls.crt");
        var keyPath = Path.Combine(_directory, "tls.key");
        Write(certificatePath, keyPath, first);
        var httpsPort = FreePort();
        var logs = new LogCapture();
        await using var sample = new WebApplicationFactory<Program>();
        await using var factory = sample.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Kestrel:Certificates:Default:Path", certificatePath);
            builder.UseSetting("Kestrel:Certificates:Default:KeyPath", keyPath);
            builder.UseSetting("urls", $"https://127.0.0.1:{httpsPort};http://127.0.0.1:0");
            builder.ConfigureLogging(logging =>
            {
                logging.AddProvider(logs);

                // Kestrel says at start which certificate files it watches for its own reload (Debug): none, here.
                logging.AddFilter<LogCapture>("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Trace);
            });
        });
        factory.UseKestrel();
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        using var client = new HttpClient { BaseAddress = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal))) };
        Assert.Equal(first.Thumbprint, await ServedThumbprintAsync(httpsPort));

        await File.WriteAllTextAsync(certificatePath, "garbage\n");
        await WaitForAsync(() => logs.Entries.Any(e => e.EventId == RefusedEventId));
        Assert.Equal(first.Thumbprint, await ServedThumbprintAsync(httpsPort));
        await SampleHost.GetUntilAsync(client, "/health/details", (_, body) => body.Contains("reload-rejected", StringComparison.Ordinal));
        using (var health = await client.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            Assert.Equal((HttpStatusCode.OK, "Degraded"), (health.StatusCode, await health.Content.ReadAsStringAsync()));
        }

        // A good file afterwards: once it is served, anything Kestrel would have said about the bad one has been said.
        Write(certificatePath, keyPath, second);
        await WaitForAsync(() => logs.Entries.Any(e => e.EventId == ServingEventId && e.Message.Contains(Sha256(second), StringComparison.Ordinal)));
        Assert.Equal(second.Thumbprint, await ServedThumbprintAsync(httpsPort));

        var entries = logs.Entries;
        var refused = Assert.Single(entries, e => e.EventId == RefusedEventId);
        Assert.Equal(LogLevel.Error, refused.Level);
        Assert.Contains("(unreadable)", refused.Message, StringComparison.Ordinal);
        Assert.Contains(certificatePath, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(entries, e => e.Message.Contains("Unable to reload configuration", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Level == LogLevel.Critical);

        // The cause, not only the symptom: Kestrel's own watcher never looks at the file (its crit can come seconds late).
        Assert.DoesNotContain(entries, e => e.Category.EndsWith(".CertificatePathWatcher", StringComparison.Ordinal) && e.Message.Contains(certificatePath, StringComparison.Ordinal));
    }

    private static X509Certificate2 Issue()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=app.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("app.test");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(90));
    }

    private static void Write(string certificatePath, string keyPath, X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
    }

    private static async Task<string> ServedThumbprintAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        X509Certificate2? served = null;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "app.test",

            // Records what is presented; the test compares it by thumbprint instead of trusting it.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                served = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return certificate is not null;
            },
        }, guard.Token);
        using (served)
        {
            return served?.Thumbprint ?? "none";
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // A hang guard only: the condition is an event, not a speed.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the awaited log entry never came");
            await Task.Delay(50);
        }
    }

    private static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
