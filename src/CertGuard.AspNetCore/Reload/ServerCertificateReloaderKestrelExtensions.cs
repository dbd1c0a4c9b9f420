using System.Net.Security;
using System.Security.Authentication;
using CertGuard.AspNetCore.Reload;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Plugs a <see cref="ServerCertificateReloader"/> into Kestrel.</summary>
public static class ServerCertificateReloaderKestrelExtensions
{
    /// <summary>
    /// Serves HTTPS on this endpoint with the reloader's certificates, chosen by SNI name, each sent with the
    /// intermediates from its file.
    /// </summary>
    /// <param name="listenOptions">The endpoint.</param>
    /// <param name="reloader">The certificates to serve.</param>
    /// <param name="configure">Adjusts the TLS options of each connection (protocols, client certificates), or null.</param>
    /// <returns>The endpoint, for chaining.</returns>
    public static ListenOptions UseHttps(this ListenOptions listenOptions, ServerCertificateReloader reloader, Action<SslServerAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(reloader);
        var protocols = listenOptions.Protocols;
        return listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context =>
            {
                var serverName = context.ClientHelloInfo.ServerName;
                var certificate = reloader.SelectContext(serverName)
                    ?? throw new AuthenticationException($"No certificate is configured for the server name '{serverName}'.");
                var options = new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificate,
                    ApplicationProtocols = ApplicationProtocols(protocols),
                };
                configure?.Invoke(options);
                return ValueTask.FromResult(options);
            },
        });
    }

    /// <summary>
    /// Selects this endpoint's (or, inside <c>ConfigureHttpsDefaults</c>, every endpoint's) certificate from the
    /// reloader by SNI name. Kestrel then sends only the certificate (and whatever intermediates the platform finds);
    /// use <see cref="UseHttps(ListenOptions, ServerCertificateReloader, Action{SslServerAuthenticationOptions}?)"/>
    /// to send the intermediates from the file.
    /// </summary>
    /// <param name="httpsOptions">The HTTPS options.</param>
    /// <param name="reloader">The certificates to serve.</param>
    /// <returns>The options, for chaining.</returns>
    public static HttpsConnectionAdapterOptions UseReloadingCertificate(this HttpsConnectionAdapterOptions httpsOptions, ServerCertificateReloader reloader)
    {
        ArgumentNullException.ThrowIfNull(httpsOptions);
        ArgumentNullException.ThrowIfNull(reloader);
        httpsOptions.ServerCertificateSelector = (_, serverName) => reloader.SelectCertificate(serverName);
        return httpsOptions;
    }

    private static List<SslApplicationProtocol> ApplicationProtocols(HttpProtocols protocols) => protocols switch
    {
        HttpProtocols.Http1 => [SslApplicationProtocol.Http11],
        HttpProtocols.Http2 => [SslApplicationProtocol.Http2],
        _ => [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
    };
}
