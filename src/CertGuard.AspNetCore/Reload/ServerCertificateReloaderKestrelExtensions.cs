using System.Net.Security;
using System.Security.Authentication;
using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.TlsErrors;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Plugs a <see cref="ServerCertificateReloader"/> into Kestrel.</summary>
public static class ServerCertificateReloaderKestrelExtensions
{
    /// <summary>
    /// Serves HTTPS on this endpoint with the reloader's certificates, chosen by SNI name, each sent with the
    /// intermediates from its file; optionally counts failed handshakes by reason.
    /// </summary>
    /// <param name="listenOptions">The endpoint.</param>
    /// <param name="reloader">The certificates to serve.</param>
    /// <param name="configure">Adjusts the TLS options of each connection (protocols, client certificates), or null.</param>
    /// <param name="failures">Counts failed handshakes, or null not to count them.</param>
    /// <returns>The endpoint, for chaining.</returns>
    public static ListenOptions UseHttps(
        this ListenOptions listenOptions,
        ServerCertificateReloader reloader,
        Action<SslServerAuthenticationOptions>? configure = null,
        TlsHandshakeFailureCounter? failures = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(reloader);
        var protocols = listenOptions.Protocols;
        reloader.ServeOn(listenOptions);
        if (failures is not null)
        {
            // Around the TLS layer: sees every connection end, and whether the handshake got as far as the app.
            listenOptions.Use(next => async connection =>
            {
                var observation = new TlsHandshakeObservation();
                connection.Features.Set(observation);
                try
                {
                    await next(connection).ConfigureAwait(false);
                }
                finally
                {
                    if (observation is { ClientHelloReceived: true, Completed: false })
                    {
                        failures.Record(observation.Reason ?? TlsHandshakeFailureReason.Other, observation.ServerName);
                    }
                }
            });
        }

        listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context =>
            {
                var observation = context.Connection.Features.Get<TlsHandshakeObservation>();
                var serverName = context.ClientHelloInfo.ServerName;
                if (observation is not null)
                {
                    observation.ClientHelloReceived = true;
                    observation.ServerName = serverName;
                }

                var certificate = reloader.SelectContext(serverName);
                if (certificate is null)
                {
                    observation?.Reason = TlsHandshakeFailureReason.NoCertificate;
                    throw new AuthenticationException($"No certificate is configured for the server name '{serverName}'.");
                }

                var options = new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificate,
                    ApplicationProtocols = ApplicationProtocols(protocols),
                };
                configure?.Invoke(options);
                if (observation is not null)
                {
                    Observe(options, context.ClientHelloInfo.SslProtocols, observation);
                }

                return ValueTask.FromResult(options);
            },
        });

        if (failures is not null)
        {
            // Inside the TLS layer: reached only once the handshake succeeded.
            listenOptions.Use(next => connection =>
            {
                connection.Features.Get<TlsHandshakeObservation>()?.Completed = true;
                return next(connection);
            });
        }

        return listenOptions;
    }

    /// <summary>
    /// Selects this endpoint's (or, inside <c>ConfigureHttpsDefaults</c>, every endpoint's) certificate from the
    /// reloader by SNI name. When the reloader serves one certificate for every name (no SNI names), it is sent with
    /// the intermediates from its file; with SNI names Kestrel can only be handed the certificate, and sends whatever
    /// intermediates the platform finds: use
    /// <see cref="UseHttps(ListenOptions, ServerCertificateReloader, Action{SslServerAuthenticationOptions}?, TlsHandshakeFailureCounter?)"/>
    /// to send each file's intermediates.
    /// </summary>
    /// <param name="httpsOptions">The HTTPS options.</param>
    /// <param name="reloader">The certificates to serve.</param>
    /// <returns>The options, for chaining.</returns>
    public static HttpsConnectionAdapterOptions UseReloadingCertificate(this HttpsConnectionAdapterOptions httpsOptions, ServerCertificateReloader reloader)
    {
        ArgumentNullException.ThrowIfNull(httpsOptions);
        ArgumentNullException.ThrowIfNull(reloader);
        httpsOptions.ServerCertificateSelector = (_, serverName) => reloader.SelectCertificate(serverName);
        var previous = httpsOptions.OnAuthenticate;
        httpsOptions.OnAuthenticate = (connection, ssl) =>
        {
            previous?.Invoke(connection, ssl);

            // A selector can only hand over the certificate, and then the platform sends no intermediate it cannot
            // find itself. With one certificate for every name, hand over its context, with the file's chain.
            if (ssl.ServerCertificateSelectionCallback is not null && reloader.SelectContextForEveryName() is { } context)
            {
                ssl.ServerCertificateSelectionCallback = null;
                ssl.ServerCertificate = null;
                ssl.ServerCertificateContext = context;
            }
        };
        reloader.ServesHttpsDefaults = true;
        return httpsOptions;
    }

    private static void Observe(SslServerAuthenticationOptions options, SslProtocols offered, TlsHandshakeObservation observation)
    {
#pragma warning disable SYSLIB0039 // naming the old versions is how a mismatch with them is recognized
        var enabled = options.EnabledSslProtocols == SslProtocols.None ? SslProtocols.Tls12 | SslProtocols.Tls13 : options.EnabledSslProtocols;
#pragma warning restore SYSLIB0039
        if (offered != SslProtocols.None && (offered & enabled) == SslProtocols.None)
        {
            observation.Reason = TlsHandshakeFailureReason.ProtocolMismatch;
        }

        var required = options.ClientCertificateRequired;
        var validate = options.RemoteCertificateValidationCallback;
        if (required || validate is not null)
        {
            options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                var accepted = validate?.Invoke(sender, certificate, chain, errors) ?? errors == SslPolicyErrors.None;
                if (!accepted)
                {
                    observation.Reason = TlsHandshakeFailureReason.ClientCertificateRejected;
                }

                return accepted;
            };
        }
    }

    private static List<SslApplicationProtocol> ApplicationProtocols(HttpProtocols protocols) => protocols switch
    {
        HttpProtocols.Http1 => [SslApplicationProtocol.Http11],
        HttpProtocols.Http2 => [SslApplicationProtocol.Http2],
        _ => [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
    };
}
