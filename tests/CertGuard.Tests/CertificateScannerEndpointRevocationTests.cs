using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection.Revocation;
using CertGuard.Policy;
using CertGuard.Sources;
using CertGuard.Tests.Inspection.Revocation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CertGuard.Tests;

public sealed class CertificateScannerEndpointRevocationTests
{
    [Fact]
    public async Task An_endpoint_serving_a_revoked_certificate_is_unhealthy_with_revocation_on_by_default()
    {
        // Issued by a root, which TLS servers do not send: the issuer comes from the AIA CA Issuers URL.
        await using var responder = await RevocationTestServer.StartAsync();
        using var served = responder.Pki.IssueServerCertificate("revoked.test", [responder.OcspUrl], [responder.CrlUrl], [responder.CaIssuersUrl]);
        responder.Revoke(served, DateTimeOffset.UtcNow.AddHours(-1), Org.BouncyCastle.Asn1.X509.CrlReason.KeyCompromise);
        await using var tls = await StartTlsServerAsync(served, responder.Pki.Certificate);
        using var checker = new OcspCrlRevocationChecker();
        var source = new TlsEndpointCertificateSource("127.0.0.1", tls.Port, serverName: "revoked.test");

        var scan = await new CertificateScanner(revocationChecker: checker).ScanAsync(source);

        var report = Assert.Single(scan.Reports);
        Assert.Contains(report.Findings, f => f.Id == FindingIds.Revoked && f.Severity == FindingSeverity.Critical);
        Assert.Equal(CertificateStatus.Unhealthy, report.Status);
        Assert.Equal(1, responder.OcspRequests);
    }

    /// <summary>A real Kestrel TLS server on loopback presenting the certificate and its issuer.</summary>
    private static async Task<TlsServer> StartTlsServerAsync(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var context = SslStreamCertificateContext.Create(certificate, [issuer], offline: true);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = context }),
        })));
        var app = builder.Build();
        app.Run(http => http.Response.WriteAsync("ok"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TlsServer(app, new Uri(address).Port);
    }

    private sealed record TlsServer(WebApplication App, int Port) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
