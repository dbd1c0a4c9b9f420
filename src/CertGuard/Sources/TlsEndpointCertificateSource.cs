using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.Sources;

/// <summary>
/// The certificate a TLS server presents on <c>host:port</c>, with the chain it sends and what the handshake showed.
/// The source observes and never trusts: every certificate is accepted during the handshake and judged afterwards
/// by inspection and policy. Chains are evaluated against the system roots and revocation is checked online unless
/// the caller says otherwise; every failure (name not resolved, refused, timed out, not TLS) is a <see cref="LoadError"/>.
/// </summary>
public sealed class TlsEndpointCertificateSource : CertificateSource
{
    private readonly TimeSpan _connectTimeout = TimeSpan.FromSeconds(5);
    private readonly TimeSpan _handshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly string _nameToVerify;

    /// <summary>Creates an endpoint source.</summary>
    /// <param name="host">A DNS name, an IPv4 address, or an IPv6 address (with or without brackets).</param>
    /// <param name="port">The TCP port, 1 to 65535.</param>
    /// <param name="serverName">
    /// The name to send in SNI and to check the certificate against; the host when null, and none for an IP address.
    /// </param>
    /// <param name="name">The source name; <see cref="Location"/> when null.</param>
    /// <exception cref="ArgumentException">The host is not a host name or an IP address, or the server name is not a host name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1 to 65535.</exception>
    public TlsEndpointCertificateSource(string host, int port, string? serverName = null, string? name = null)
        : this(ValidAddress(host, port), ValidServerName(serverName), name)
    {
    }

    private TlsEndpointCertificateSource(TlsEndpointAddress address, string? serverName, string? name)
        : base(name ?? Describe(address, serverName))
    {
        Host = address.Host;
        Port = address.Port;
        ServerName = serverName ?? (address.IsIPAddress ? null : address.Host);
        _nameToVerify = ServerName is null ? Host : AsciiName(ServerName);
        Location = Describe(address, serverName);
        Trust = ChainTrust.System;
        Revocation = RevocationCheckMode.Online;
    }

    /// <summary>The host connected to: a DNS name or an IP address (IPv6 without brackets).</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The name sent in SNI and checked against the certificate, or null for an IP address without one.</summary>
    public string? ServerName { get; }

    /// <summary>How long name resolution and the TCP connect may take; 5 seconds by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive (or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        init => _connectTimeout = ValidTimeout(value);
    }

    /// <summary>How long the TLS handshake may take once connected; 10 seconds by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive (or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan HandshakeTimeout
    {
        get => _handshakeTimeout;
        init => _handshakeTimeout = ValidTimeout(value);
    }

    /// <inheritdoc />
    public override string Kind => "endpoint";

    /// <summary><c>host:port</c> (<c>[v6]:port</c> for IPv6), followed by <c>(SNI name)</c> when the server name differs from the host.</summary>
    public override string Location { get; }

    /// <inheritdoc />
    public override bool IsRemote => true;

    /// <summary>Reads an endpoint written as <c>host:port</c>, <c>[v6-address]:port</c> or <c>tls://host:port</c>.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="serverName">The name to send in SNI; see the constructor.</param>
    /// <param name="name">The source name; see the constructor.</param>
    /// <returns>The source.</returns>
    /// <exception cref="FormatException">The endpoint is not in one of those forms; the message says what is wrong.</exception>
    public static TlsEndpointCertificateSource Parse(string endpoint, string? serverName = null, string? name = null)
    {
        if (!TlsEndpointAddress.TryParse(endpoint, out var address, out var error))
        {
            throw new FormatException(error);
        }

        return new TlsEndpointCertificateSource(address.Host, address.Port, serverName, name);
    }

    /// <summary>Reads an endpoint written as <c>host:port</c>, <c>[v6-address]:port</c> or <c>tls://host:port</c>.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="source">The source, when the endpoint could be read.</param>
    /// <returns>Whether the endpoint could be read.</returns>
    public static bool TryParse([NotNullWhen(true)] string? endpoint, [NotNullWhen(true)] out TlsEndpointCertificateSource? source)
    {
        source = TlsEndpointAddress.TryParse(endpoint, out var address, out _) ? new TlsEndpointCertificateSource(address.Host, address.Port) : null;
        return source is not null;
    }

    /// <inheritdoc />
    public override async ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            overall.CancelAfter(Timeout > TimeSpan.Zero ? Timeout : TimeSpan.Zero);
        }

        var started = Stopwatch.GetTimestamp();

        var (socket, failure) = await ConnectAsync(overall, cancellationToken).ConfigureAwait(false);
        if (socket is null)
        {
            return failure!;
        }

        using var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        using var capture = new ServerCertificateCapture();
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
        handshake.CancelAfter(HandshakeTimeout);
        try
        {
            await stream.AuthenticateAsClientAsync(ClientOptions(capture), handshake.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ex is OperationCanceledException)
            {
                return TimedOut("handshake", HandshakeTimeout, overall);
            }

            var (reason, message) = TlsFailureDescription.OfHandshake(ex);
            return CertificateLoadResult.Failed(Location, reason, message);
        }

        if (capture.Leaf is not { } leaf)
        {
            return CertificateLoadResult.Failed(Location, LoadErrorReason.NoCertificate, "the server completed the handshake without presenting a certificate");
        }

        var serverName = ServerName ?? Host;
        var connection = new TlsConnectionInfo
        {
            Host = Host,
            Port = Port,
            ServerName = serverName,
            RemoteAddress = (socket.RemoteEndPoint as IPEndPoint)?.Address.ToString(),
            Protocol = stream.SslProtocol,
            CipherSuite = stream.NegotiatedCipherSuite,
            HostNameMatches = leaf.MatchesHostname(_nameToVerify, allowWildcards: true, allowCommonName: true),
            HandshakeDuration = Stopwatch.GetElapsedTime(started),
            PolicyErrors = capture.PolicyErrors,
        };
        var loaded = new LoadedCertificate(leaf, Location, CertificateFormat.TlsHandshake)
        {
            PrivateKeyProtection = PrivateKeyProtection.Absent,
            PresentedChain = capture.Chain,
            Connection = connection,
        };
        capture.HandOver();
        return new CertificateLoadResult([loaded], []);
    }

    private async Task<(Socket? Socket, CertificateLoadResult? Failure)> ConnectAsync(CancellationTokenSource overall, CancellationToken cancellationToken)
    {
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
        connect.CancelAfter(ConnectTimeout);
        var target = TlsEndpointAddress.FormatHost(Host);
        try
        {
            var addresses = IPAddress.TryParse(Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(Host, connect.Token).WaitAsync(connect.Token).ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                return (null, CertificateLoadResult.Failed(Location, LoadErrorReason.ConnectionFailed, $"name not resolved: '{Host}' has no address"));
            }

            SocketException? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, Port), connect.Token).ConfigureAwait(false);
                    return (socket, null);
                }
                catch (SocketException ex)
                {
                    socket.Dispose();
                    last = ex;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            var (reason, message) = TlsFailureDescription.OfConnect(last!, $"{target}:{Port.ToString(CultureInfo.InvariantCulture)}");
            return (null, CertificateLoadResult.Failed(Location, reason, message));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, TimedOut("connect", ConnectTimeout, overall));
        }
        catch (SocketException ex)
        {
            // Name resolution failures land here; connect failures are handled per address above.
            var (reason, message) = TlsFailureDescription.OfConnect(ex, Host);
            return (null, CertificateLoadResult.Failed(Location, reason, message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return (null, CertificateLoadResult.Failed(Location, LoadErrorReason.ConnectionFailed, $"cannot connect to {target} ({ex.GetType().Name})"));
        }
    }

    // SNI and certificates carry internationalized names in their ASCII (punycode) form.
    private static string AsciiName(string name) => IPAddress.TryParse(name, out _) ? name : new IdnMapping().GetAscii(name.TrimEnd('.'));

    private SslClientAuthenticationOptions ClientOptions(ServerCertificateCapture capture) => new()
    {
        // No SNI for an IP address: .NET sends none when the target host is an address.
        TargetHost = _nameToVerify,
        // Deliberate: the endpoint source captures whatever the server presents and sends nothing over the
        // connection; the certificate is judged afterwards by inspection and policy.
#pragma warning disable CG1003
        RemoteCertificateValidationCallback = capture.Accept,
#pragma warning restore CG1003

        // Observe what the server sends: no revocation lookups and no AIA downloads during the handshake
        // (revocation is the checker's job, and a missing intermediate is a finding, not something to repair).
        CertificateChainPolicy = new X509ChainPolicy
        {
#pragma warning disable CG1004 // Deliberate: observing only; revocation is checked later by the revocation checker.
            RevocationMode = X509RevocationMode.NoCheck,
#pragma warning restore CG1004
            DisableCertificateDownloads = true,
        },
        EnabledSslProtocols = SslProtocols.None,
    };

    private CertificateLoadResult TimedOut(string phase, TimeSpan phaseTimeout, CancellationTokenSource overall)
    {
        var message = overall.IsCancellationRequested
            ? $"did not complete within the source's timeout of {Seconds(Timeout)} (the {phase} was under way)"
            : $"the {phase} did not complete within {Seconds(phaseTimeout)}";
        return CertificateLoadResult.Failed(Location, LoadErrorReason.Timeout, message);
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private static TimeSpan ValidTimeout(TimeSpan value) =>
        value > TimeSpan.Zero || value == System.Threading.Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "A timeout must be positive.");

    private static TlsEndpointAddress ValidAddress(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = TlsEndpointAddress.NormalizeHost(host, out var error) ?? throw new ArgumentException(error, nameof(host));
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new TlsEndpointAddress(bare, port);
    }

    private static string? ValidServerName(string? serverName)
    {
        if (serverName is null)
        {
            return null;
        }

        try
        {
            if (Uri.CheckHostName(serverName) == UriHostNameType.Dns && AsciiName(serverName).Length > 0)
            {
                return serverName;
            }
        }
        catch (ArgumentException)
        {
            // Not a valid internationalized name either; reported below.
        }

        throw new ArgumentException($"'{serverName}' is not a host name to send in SNI", nameof(serverName));
    }

    private static string Describe(TlsEndpointAddress address, string? serverName) =>
        serverName is null || string.Equals(serverName, address.Host, StringComparison.OrdinalIgnoreCase)
            ? address.ToString()
            : $"{address} (SNI {serverName})";
}
