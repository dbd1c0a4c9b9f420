using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CertGuard.Benchmarks.Sweep;

/// <summary>
/// <c>sweep-server --dir DIR [--count N] [--ports]</c>: one real Kestrel on 127.0.0.1 serving N certificates (ECDSA P-256,
/// minted at start by one root, subject <c>CN=e0000.sweep.test</c> ...), chosen by SNI name on one port; with
/// <c>--ports</c> also on N more ports, one name each, for clients that send no SNI (the CLI). Writes
/// <c>DIR/sweep.json</c> and <c>DIR/root.pem</c> when it is listening, then serves until killed.
/// </summary>
internal static class SweepServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var directory = SweepArguments.Value(args, "--dir") ?? throw new ArgumentException("--dir is required");
        var count = int.Parse(SweepArguments.Value(args, "--count") ?? "1000", CultureInfo.InvariantCulture);
        var perPort = args.Contains("--ports");
        Directory.CreateDirectory(directory);

        var minting = Stopwatch.StartNew();
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = CreateRoot(rootKey);
        var names = Enumerable.Range(0, count).Select(SweepSetup.NameOf).ToArray();
        var contexts = new Dictionary<string, SslStreamCertificateContext>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            contexts[name] = SslStreamCertificateContext.Create(IssueLeaf(root, name), additionalCertificates: null, offline: true);
        }

        Console.Error.WriteLine($"sweep-server: minted {count} certificates in {minting.Elapsed.TotalSeconds:0.0} s");

        var byPort = new Dictionary<int, SslStreamCertificateContext>();
        var counter = new ConnectionCounter();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            for (var i = 0; i < (perPort ? count + 1 : 1); i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listen.Use(counter.Track);
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = connection =>
                        {
                            var serverName = connection.ClientHelloInfo.ServerName;
                            var port = (connection.Connection.LocalEndPoint as IPEndPoint)?.Port ?? 0;
                            var context = !string.IsNullOrEmpty(serverName) && contexts.TryGetValue(serverName, out var named) ? named
                                : byPort.TryGetValue(port, out var ported) ? ported
                                : contexts[names[0]];
                            return ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = context });
                        },
                    });
                });
            }
        });

        await using var app = builder.Build();
        app.Run(context =>
        {
            if (context.Request.Path == "/reset")
            {
                counter.Reset();
            }

            return context.Response.WriteAsync($"{{\"peak\":{counter.Peak},\"total\":{counter.Total}}}");
        });
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(a => new Uri(a)).ToList();
        var tlsPorts = addresses.Where(a => a.Scheme == "https").Select(a => a.Port).ToList();
        var ports = tlsPorts.Skip(1).Select((port, i) => new SweepPort(port, names[i])).ToList();
        foreach (var port in ports)
        {
            byPort[port.Port] = contexts[port.Name];
        }

        await File.WriteAllTextAsync(Path.Combine(directory, SweepSetup.RootFileName), root.ExportCertificatePem());
        new SweepSetup
        {
            ControlPort = addresses.Single(a => a.Scheme == "http").Port,
            SniPort = tlsPorts[0],
            Names = names,
            Ports = ports,
        }.Write(directory);
        Console.Error.WriteLine($"sweep-server: listening (SNI port {tlsPorts[0]}, {ports.Count} single-name ports)");

        await app.WaitForShutdownAsync();
        return 0;
    }

    private static X509Certificate2 CreateRoot(ECDsa key)
    {
        var request = new CertificateRequest("CN=CertGuard Sweep Root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-30), now.AddYears(5));
    }

    // A DNS name for SNI clients and 127.0.0.1 for clients that connect by address without SNI.
    private static X509Certificate2 IssueLeaf(X509Certificate2 root, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(root, now.AddDays(-1), now.AddDays(90), serial);
        return issued.CopyWithPrivateKey(key);
    }
}
