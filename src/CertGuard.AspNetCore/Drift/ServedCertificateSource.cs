using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.AspNetCore.Drift;

/// <summary>
/// The certificate an HTTPS endpoint actually serves, compared with the one it is configured with (a file or a store
/// entry): a TLS handshake against the endpoint (normally the app's own, on loopback) for one SNI name, plus a read
/// of the configured source. The served certificate is reported with the configured one attached
/// (<see cref="LoadedCertificate.ConfiguredCertificate"/>), so the policy reports <c>served-certificate-drift</c> when
/// they differ: the frontend that kept serving an old certificate after a rotation silently failed.
/// </summary>
public sealed class ServedCertificateSource : CertificateSource
{
    private readonly TlsEndpointCertificateSource _endpoint;

    /// <summary>Creates a source.</summary>
    /// <param name="host">The endpoint's host, normally <c>127.0.0.1</c> or <c>::1</c> for the app itself.</param>
    /// <param name="port">The endpoint's port.</param>
    /// <param name="configured">Where the certificate the endpoint should serve is configured (a file, a store).</param>
    /// <param name="serverName">The SNI name to ask for, or null to ask for none (the default certificate).</param>
    /// <param name="name">The source name; <c>served:</c> and the endpoint when null.</param>
    /// <exception cref="ArgumentException">The host or server name is not valid (see <see cref="TlsEndpointCertificateSource"/>).</exception>
    public ServedCertificateSource(string host, int port, CertificateSource configured, string? serverName = null, string? name = null)
        : base(name ?? $"served:{new TlsEndpointCertificateSource(host, port, serverName).Location}")
    {
        ArgumentNullException.ThrowIfNull(configured);
        Configured = configured;
        _endpoint = new TlsEndpointCertificateSource(host, port, serverName);
        Timeout = TimeSpan.FromSeconds(15);
    }

    /// <summary>Where the certificate the endpoint should serve is configured.</summary>
    public CertificateSource Configured { get; }

    /// <summary>The SNI name asked for, or null.</summary>
    public string? ServerName => _endpoint.ServerName;

    /// <summary>
    /// How long after a configured file changed the comparison waits: a server needs a moment to pick up a new file,
    /// and comparing at once would report a drift that is only a reload in progress. Two minutes by default.
    /// </summary>
    public TimeSpan ReloadGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Asked to refresh again once the grace of a changed file ends, so real drift is found then, not an interval later.</summary>
    internal Action<TimeSpan>? RecheckAfter { get; init; }

    /// <summary>The clock <see cref="ReloadGrace"/> is measured with; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Signalled (cancelled) once the server is listening, as <c>IHostApplicationLifetime.ApplicationStarted</c> is;
    /// until then a load waits, so a monitor that starts before Kestrel does not report a refused connection.
    /// <see cref="CancellationToken.None"/> (the default) does not wait.
    /// </summary>
    public CancellationToken ServerStarted { get; init; }

    /// <summary>How long the TCP connect may take; 5 seconds by default.</summary>
    public TimeSpan ConnectTimeout
    {
        get => _endpoint.ConnectTimeout;
        init => _endpoint = new TlsEndpointCertificateSource(_endpoint.Host, _endpoint.Port, _endpoint.ServerName) { ConnectTimeout = value, HandshakeTimeout = _endpoint.HandshakeTimeout };
    }

    /// <summary>How long the TLS handshake may take once connected; 10 seconds by default.</summary>
    public TimeSpan HandshakeTimeout
    {
        get => _endpoint.HandshakeTimeout;
        init => _endpoint = new TlsEndpointCertificateSource(_endpoint.Host, _endpoint.Port, _endpoint.ServerName) { ConnectTimeout = _endpoint.ConnectTimeout, HandshakeTimeout = value };
    }

    /// <inheritdoc />
    public override string Kind => "served";

    /// <summary>The endpoint, as <see cref="TlsEndpointCertificateSource.Location"/> writes it.</summary>
    public override string Location => _endpoint.Location;

    /// <inheritdoc />
    public override bool IsRemote => true;

    /// <summary>The configured source's files: a renewed file is worth comparing at once.</summary>
    public override IReadOnlyList<string> WatchedPaths => Configured.WatchedPaths;

    /// <inheritdoc />
    public override async ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        if (ServerStarted.CanBeCanceled && !ServerStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ServerStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var served = await _endpoint.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (served.Certificates.Count == 0)
        {
            return served;
        }

        using var configured = RecentlyChanged()
            ? CertificateLoadResult.Empty
            : await LoadConfiguredAsync(cancellationToken).ConfigureAwait(false);
        var configuredLeaf = configured.Certificates.FirstOrDefault(c => c.HasPrivateKey) ?? configured.Certificates.FirstOrDefault();
        var summary = configuredLeaf is null ? null : CertificateInspector.Summarize(configuredLeaf.Certificate);
        var compared = served.Certificates.Select(s => new LoadedCertificate(s.Certificate, s.Location, s.Format)
        {
            Entry = s.Entry,
            PrivateKeyProtection = s.PrivateKeyProtection,
            PresentedChain = s.PresentedChain,

            // Without an SNI name there is no name to judge: the loopback address is never in the certificate.
            Connection = ServerName is null && s.Connection is { } connection ? connection with { HostNameMatches = true } : s.Connection,
            ConfiguredCertificate = summary,
        }).ToList();
        var errors = served.Errors.Concat(configured.Errors.Select(e => e with { Message = $"the configured certificate: {e.Message}" })).ToList();
        return new CertificateLoadResult(compared, errors);
    }

    private bool RecentlyChanged()
    {
        var now = TimeProvider.GetUtcNow().UtcDateTime;
        var graceLeft = TimeSpan.Zero;
        foreach (var path in Configured.WatchedPaths)
        {
            // The latest of the file's own time and every link's on the way: a Kubernetes ..data swap or a certbot
            // relink changes a link, not the file the old link pointed at.
            if (Reload.SymbolicLinks.LatestChangeUtc(path) is { } changed && (now < changed ? ReloadGrace : ReloadGrace - (now - changed)) is var left && left > graceLeft)
            {
                graceLeft = left;
            }
        }

        if (graceLeft <= TimeSpan.Zero)
        {
            return false;
        }

        // Look again as soon as the grace ends: real drift is then reported at once, not at the next interval.
        RecheckAfter?.Invoke(graceLeft + TimeSpan.FromSeconds(1));
        return true;
    }

    private async Task<CertificateLoadResult> LoadConfiguredAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Configured.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return CertificateLoadResult.Failed(Configured.Location, LoadErrorReason.ReadFailed, $"the source failed ({ex.GetType().Name})");
        }
    }
}
