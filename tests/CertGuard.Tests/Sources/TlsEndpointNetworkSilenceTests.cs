using System.Net;
using System.Net.Security;
using CertGuard.Inspection;
using CertGuard.Sources;
using CertGuard.Tests.Inspection.Revocation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace CertGuard.Tests.Sources;

/// <summary>Loading an endpoint observes the handshake and reaches no other host: no AIA downloads, no revocation lookups.</summary>
public sealed class TlsEndpointNetworkSilenceTests : IAsyncLifetime
{
    private RevocationTestServer _server = null!;

    public async Task InitializeAsync() => _server = await RevocationTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_leaf_served_without_its_issuer_is_not_completed_by_downloading_the_issuer()
    {
        using var leaf = _server.Pki.IssueServerCertificate("localhost", [_server.OcspUrl], [_server.CrlUrl], [_server.CaIssuersUrl]);
        var builder = WebApplication.CreateSlimBuilder();
        // offline: Kestrel would otherwise complete its own chain and fetch an OCSP staple from the same URLs,
        // and this test is about what the client does.
        var context = SslStreamCertificateContext.Create(leaf, additionalCertificates: null, offline: true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = context }),
        })));
        await using var app = builder.Build();
        await app.StartAsync();
        var port = new Uri(app.Urls.Single()).Port;

        var source = new TlsEndpointCertificateSource("127.0.0.1", port, "localhost") { Trust = ChainTrust.None, Revocation = RevocationCheckMode.Off };
        using var result = await source.LoadAsync(CancellationToken.None);

        Assert.Equal(leaf.Thumbprint, Assert.Single(result.Certificates).Certificate.Thumbprint);
        Assert.Equal((0, 0, 0), (_server.CaIssuersRequests, _server.OcspRequests, _server.CrlRequests));
    }
}
