using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard.AspNetCore.Tests.Sources;

public sealed class TlsEndpointCertificateSourceTests : IDisposable
{
    // A hang guard only, generous so a loaded machine cannot turn a slow handshake into a failure: every test asserts
    // on what happened, never on how long it took.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);

    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TestCertificateAuthority _intermediate;

    public TlsEndpointCertificateSourceTests() => _intermediate = _root.CreateIntermediate();

    public void Dispose()
    {
        _intermediate.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task Records_the_leaf_the_chain_the_server_sent_and_the_connection()
    {
        using var leaf = _intermediate.IssueServerCertificate("localhost");
        await using var server = await TlsTestServer.StartAsync(leaf, [_intermediate.Certificate]);
        var source = new TlsEndpointCertificateSource("localhost", server.Port) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        using var result = await source.LoadAsync(CancellationToken.None);

        Assert.Empty(result.Errors);
        var loaded = Assert.Single(result.Certificates);
        Assert.Equal(leaf.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.False(loaded.Certificate.HasPrivateKey);
        Assert.Equal(CertificateFormat.TlsHandshake, loaded.Format);
        Assert.Equal($"localhost:{server.Port}", loaded.Location);
        var presented = Assert.Single(loaded.PresentedChain);
        Assert.Equal(_intermediate.Certificate.Thumbprint, presented.Thumbprint);

        var connection = Assert.IsType<TlsConnectionInfo>(loaded.Connection);
        Assert.Equal("localhost", connection.Host);
        Assert.Equal(server.Port, connection.Port);
        Assert.Equal("localhost", connection.ServerName);
        Assert.Equal("127.0.0.1", connection.RemoteAddress);
        Assert.True(connection.HostNameMatches);
        Assert.Contains(connection.Protocol, new[] { SslProtocols.Tls12, SslProtocols.Tls13 });
        Assert.NotNull(connection.CipherSuite);
        Assert.True(connection.HandshakeDuration > TimeSpan.Zero);
        Assert.Equal(["localhost"], server.ReceivedServerNames);
    }

    [Fact]
    public async Task Presented_chain_keeps_the_order_the_server_sent_and_holds_only_what_it_sent()
    {
        using var second = _intermediate.CreateIntermediate("CertGuard Test Issuing CA");
        using var leaf = second.IssueServerCertificate("localhost");
        await using var server = await TlsTestServer.StartAsync(leaf, [second.Certificate, _intermediate.Certificate]);

        using var result = await Endpoint(server).LoadAsync(CancellationToken.None);

        var loaded = Assert.Single(result.Certificates);
        Assert.Equal(
            [second.Certificate.Thumbprint, _intermediate.Certificate.Thumbprint],
            loaded.PresentedChain.Select(c => c.Thumbprint));
    }

    [Fact]
    public async Task A_server_that_sends_only_its_certificate_presents_an_empty_chain()
    {
        using var leaf = _intermediate.IssueServerCertificate("localhost");
        await using var server = await TlsTestServer.StartAsync(leaf);

        using var result = await Endpoint(server).LoadAsync(CancellationToken.None);

        Assert.Empty(Assert.Single(result.Certificates).PresentedChain);
    }

    [Fact]
    public async Task A_healthy_chain_is_trusted_when_its_root_is_given_as_custom_trust()
    {
        using var leaf = _intermediate.IssueServerCertificate("localhost");
        await using var server = await TlsTestServer.StartAsync(leaf, [_intermediate.Certificate]);
        var source = new TlsEndpointCertificateSource(server.Host, server.Port, serverName: "localhost")
        {
            Trust = ChainTrust.Custom([_root.Certificate]),
            ConnectTimeout = HangGuard,
            HandshakeTimeout = HangGuard,
        };

        var scan = await new CertificateScanner().ScanAsync(source);

        Assert.Empty(scan.Errors);
        var report = Assert.Single(scan.Reports);
        Assert.True(report.Facts.Chain!.IsTrusted);
        Assert.True(report.Facts.Chain.IsComplete);
        Assert.Empty(report.Findings);
        Assert.Equal(CertificateStatus.Healthy, scan.Status);
    }

    [Fact]
    public async Task A_chain_to_an_unknown_root_is_not_trusted_with_the_system_roots()
    {
        using var leaf = _intermediate.IssueServerCertificate("localhost");
        await using var server = await TlsTestServer.StartAsync(leaf, [_intermediate.Certificate]);
        var source = new TlsEndpointCertificateSource(server.Host, server.Port, "localhost") { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        var scan = await new CertificateScanner().ScanAsync(source);

        var report = Assert.Single(scan.Reports);
        Assert.Equal(ChainTrustMode.System, report.Facts.Chain!.TrustMode);
        Assert.False(report.Facts.Chain.IsTrusted);
        Assert.Contains(report.Findings, f => f.Id is FindingIds.UntrustedChain or FindingIds.IncompleteChain && f.Severity == FindingSeverity.Critical);
        Assert.Equal(CertificateStatus.Unhealthy, report.Status);
        Assert.True(report.Facts.Connection!.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(report.Facts.Connection.HostNameMatches);
        Assert.DoesNotContain(report.Findings, f => f.Id == FindingIds.HostnameMismatch);
        Assert.False(report.Facts.Connection.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public async Task An_expired_certificate_is_served_and_found_expired()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = _intermediate.IssueServerCertificate("localhost", notBefore: now.AddDays(-100), notAfter: now.AddDays(-10));
        await using var server = await TlsTestServer.StartAsync(leaf, [_intermediate.Certificate]);
        var source = new TlsEndpointCertificateSource(server.Host, server.Port, "localhost")
        {
            Trust = ChainTrust.Custom([_root.Certificate]),
            ConnectTimeout = HangGuard,
            HandshakeTimeout = HangGuard,
        };

        var scan = await new CertificateScanner().ScanAsync(source);

        var report = Assert.Single(scan.Reports);
        Assert.Contains(report.Findings, f => f.Id == FindingIds.Expired);
        Assert.Equal(CertificateStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_a_hostname_mismatch()
    {
        using var leaf = _intermediate.IssueServerCertificate("other.example.test");
        await using var server = await TlsTestServer.StartAsync(leaf, [_intermediate.Certificate]);
        var source = new TlsEndpointCertificateSource(server.Host, server.Port, "localhost")
        {
            Trust = ChainTrust.Custom([_root.Certificate]),
            ConnectTimeout = HangGuard,
            HandshakeTimeout = HangGuard,
        };

        var scan = await new CertificateScanner().ScanAsync(source);

        var report = Assert.Single(scan.Reports);
        Assert.False(report.Facts.Connection!.HostNameMatches);
        Assert.True(report.Facts.Connection.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch));
        var finding = Assert.Single(report.Findings, f => f.Id == FindingIds.HostnameMismatch);
        Assert.Contains("'localhost'", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Id is FindingIds.UntrustedChain or FindingIds.IncompleteChain);
    }

    [Theory]
    [InlineData("api.example.test", true)]
    [InlineData("API.Example.Test", true)]
    [InlineData("example.test", false)]
    [InlineData("deep.api.example.test", false)]
    public async Task Wildcard_names_match_exactly_one_label(string serverName, bool matches)
    {
        using var leaf = _intermediate.IssueServerCertificate("*.example.test");
        await using var server = await TlsTestServer.StartAsync(leaf, [_intermediate.Certificate]);
        var source = new TlsEndpointCertificateSource(server.Host, server.Port, serverName) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        using var result = await source.LoadAsync(CancellationToken.None);

        Assert.Equal(matches, Assert.Single(result.Certificates).Connection!.HostNameMatches);
    }

    [Fact]
    public async Task An_internationalized_server_name_is_matched_in_its_ascii_form()
    {
        using var leaf = _intermediate.IssueServerCertificate("xn--bcher-kva.example.test");
        await using var server = await TlsTestServer.StartAsync(leaf);
        var source = new TlsEndpointCertificateSource(server.Host, server.Port, "bücher.example.test") { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        using var result = await source.LoadAsync(CancellationToken.None);

        var connection = Assert.Single(result.Certificates).Connection!;
        Assert.True(connection.HostNameMatches);
        Assert.Equal("bücher.example.test", connection.ServerName);

        // The server decodes the A-label it received back to Unicode.
        Assert.Equal(["bücher.example.test"], server.ReceivedServerNames);
    }

    [Fact]
    public async Task An_ip_address_sends_no_sni_and_is_matched_against_ip_address_names()
    {
        using var withAddress = _intermediate.IssueServerCertificate("localhost", ipAddresses: [IPAddress.Loopback]);
        using var withoutAddress = _intermediate.IssueServerCertificate("localhost");
        await using var good = await TlsTestServer.StartAsync(withAddress);
        await using var bad = await TlsTestServer.StartAsync(withoutAddress);

        using var goodResult = await Endpoint(good).LoadAsync(CancellationToken.None);
        using var badResult = await Endpoint(bad).LoadAsync(CancellationToken.None);

        var goodConnection = Assert.Single(goodResult.Certificates).Connection!;
        Assert.Equal("127.0.0.1", goodConnection.ServerName);
        Assert.True(goodConnection.HostNameMatches);
        Assert.False(Assert.Single(badResult.Certificates).Connection!.HostNameMatches);
        Assert.Equal([string.Empty], good.ReceivedServerNames);
        Assert.Null(Endpoint(good).ServerName);
    }

    [Fact]
    public async Task Reads_an_endpoint_on_ipv6_loopback()
    {
        using var leaf = _intermediate.IssueServerCertificate("localhost", ipAddresses: [IPAddress.IPv6Loopback]);
        await using var server = await TlsTestServer.StartAsync(leaf, [_intermediate.Certificate], IPAddress.IPv6Loopback);
        var source = TlsEndpointCertificateSource.Parse($"[::1]:{server.Port}");

        using var result = await source.LoadAsync(CancellationToken.None);

        Assert.Empty(result.Errors);
        var loaded = Assert.Single(result.Certificates);
        Assert.Equal($"[::1]:{server.Port}", loaded.Location);
        Assert.Equal("::1", loaded.Connection!.Host);
        Assert.Equal("::1", loaded.Connection.RemoteAddress);
        Assert.True(loaded.Connection.HostNameMatches);
        Assert.Equal(_intermediate.Certificate.Thumbprint, Assert.Single(loaded.PresentedChain).Thumbprint);
    }

    [Fact]
    public async Task The_server_name_selects_the_certificate_a_server_presents()
    {
        using var alpha = _intermediate.IssueServerCertificate("alpha.example.test");
        using var beta = _intermediate.IssueServerCertificate("beta.example.test");
        var alphaContext = TlsTestServer.CreateContext(alpha, [_intermediate.Certificate]);
        var betaContext = TlsTestServer.CreateContext(beta, [_intermediate.Certificate]);
        await using var server = await TlsTestServer.StartAsync(name => name == "beta.example.test" ? betaContext : alphaContext);

        using var alphaResult = await new TlsEndpointCertificateSource(server.Host, server.Port, "alpha.example.test").LoadAsync(CancellationToken.None);
        var betaSource = new TlsEndpointCertificateSource(server.Host, server.Port, "beta.example.test");
        using var betaResult = await betaSource.LoadAsync(CancellationToken.None);

        Assert.Equal(alpha.Thumbprint, Assert.Single(alphaResult.Certificates).Certificate.Thumbprint);
        var betaLoaded = Assert.Single(betaResult.Certificates);
        Assert.Equal(beta.Thumbprint, betaLoaded.Certificate.Thumbprint);
        Assert.True(betaLoaded.Connection!.HostNameMatches);
        Assert.Equal($"127.0.0.1:{server.Port} (SNI beta.example.test)", betaSource.Location);
        Assert.Equal(["alpha.example.test", "beta.example.test"], server.ReceivedServerNames);
    }

    [Fact]
    public async Task A_port_with_no_listener_is_a_refused_connection()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var source = new TlsEndpointCertificateSource("127.0.0.1", port) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        using var result = await source.LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Empty(result.Certificates);
        Assert.Equal(LoadErrorReason.ConnectionFailed, error.Reason);
        Assert.Equal($"127.0.0.1:{port}", error.Location);
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connect_that_hangs_times_out_in_the_connect()
    {
        using var listener = await SaturatedListener.StartAsync();
        var source = new TlsEndpointCertificateSource("127.0.0.1", listener.Port) { ConnectTimeout = TimeSpan.FromSeconds(1), HandshakeTimeout = HangGuard };

        using var result = await source.LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.Timeout, error.Reason);
        Assert.Contains("connect did not complete within 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_accepts_and_never_answers_times_out_in_the_handshake()
    {
        await using var server = RawTcpServer.Silent();
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port) { ConnectTimeout = HangGuard, HandshakeTimeout = TimeSpan.FromSeconds(1) };

        using var result = await source.LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.Timeout, error.Reason);
        Assert.Contains("handshake did not complete within 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_source_timeout_bounds_the_whole_load()
    {
        await using var server = RawTcpServer.Silent();
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port) { Timeout = TimeSpan.FromSeconds(1), HandshakeTimeout = TimeSpan.FromMinutes(5) };

        using var result = await source.LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.Timeout, error.Reason);
        Assert.Contains("source's timeout of 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("handshake", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nX-Marker: PEER-SECRET-BYTES\r\n\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.2 PEER-SECRET-BYTES\r\n")]
    public async Task A_peer_that_is_not_a_tls_server_fails_the_handshake_without_echoing_its_bytes(string reply)
    {
        await using var server = RawTcpServer.Replying(Encoding.ASCII.GetBytes(reply));
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        using var result = await source.LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.HandshakeFailed, error.Reason);
        Assert.Contains("not a TLS server", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PEER-SECRET-BYTES", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40)] // handshake_failure
    [InlineData(70)] // protocol_version
    public async Task A_tls_alert_fails_the_handshake_and_says_so(byte description)
    {
        await using var server = RawTcpServer.Replying(TlsRecords.FatalAlert(description));
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        using var result = await source.LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.HandshakeFailed, error.Reason);
        Assert.Contains("TLS alert", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_closes_without_answering_fails_the_handshake_and_says_so()
    {
        await using var server = RawTcpServer.Closing(reset: false);
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        using var result = await source.LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.HandshakeFailed, error.Reason);
        Assert.Contains("closed the connection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_resets_the_connection_is_a_failed_connection()
    {
        await using var server = RawTcpServer.Closing(reset: true);
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        using var result = await source.LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.ConnectionFailed, error.Reason);
        Assert.Contains("reset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_answers_one_byte_a_second_times_out_in_the_handshake_instead_of_waiting_for_the_trickle()
    {
        // The whole hello would take 79 s to arrive and the certificate never follows: only the timeout ends this.
        await using var server = RawTcpServer.Trickling(TlsRecords.ServerHello(), TimeSpan.FromSeconds(1));
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port, name: "trickle") { ConnectTimeout = HangGuard, HandshakeTimeout = TimeSpan.FromSeconds(2) };

        using var result = await source.LoadAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.Timeout, error.Reason);
        Assert.Equal($"127.0.0.1:{server.Port}", error.Location);
        Assert.Contains("handshake did not complete within 2 s", error.Message, StringComparison.Ordinal);
        Assert.InRange(server.BytesSent, 1, TlsRecords.ServerHello().Length - 1);
    }

    [Fact]
    public async Task A_peer_that_answers_one_byte_a_second_is_cut_off_by_the_source_timeout()
    {
        await using var server = RawTcpServer.Trickling(TlsRecords.ServerHello(), TimeSpan.FromSeconds(1));
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port) { Timeout = TimeSpan.FromSeconds(2), HandshakeTimeout = TimeSpan.FromMinutes(5) };

        var scan = await new CertificateScanner().ScanAsync(source).WaitAsync(HangGuard);

        Assert.Empty(scan.Reports);
        var error = Assert.Single(scan.Errors);
        Assert.Equal(LoadErrorReason.Timeout, error.Reason);
        Assert.Equal($"127.0.0.1:{server.Port}", error.Location);
        Assert.Contains("within 2 s", error.Message, StringComparison.Ordinal);
        Assert.True(server.BytesSent >= 1, "the peer never started trickling, so this tested silence, not a slow answer");
    }

    [Fact]
    public async Task A_chain_of_sixty_intermediates_is_presented_whole_and_in_order_and_judged()
    {
        var authorities = _root.CreateIntermediates(60);
        try
        {
            using var leaf = authorities[^1].IssueServerCertificate("localhost");
            var sent = authorities.AsEnumerable().Reverse().Select(a => a.Certificate).ToList();
            await using var server = await TlsTestServer.StartAsync(leaf, sent);
            var source = new TlsEndpointCertificateSource(server.Host, server.Port, "localhost")
            {
                Trust = ChainTrust.Custom([_root.Certificate]),
                ConnectTimeout = HangGuard,
                HandshakeTimeout = HangGuard,
            };

            using var result = await source.LoadAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);
            var scan = await new CertificateScanner().ScanAsync(source).WaitAsync(HangGuard);

            var loaded = Assert.Single(result.Certificates);
            Assert.Equal(sent.Select(c => c.Thumbprint), loaded.PresentedChain.Select(c => c.Thumbprint));
            Assert.Empty(scan.Errors);
            var report = Assert.Single(scan.Reports);
            Assert.Equal(60, report.Facts.PresentedChain.Count);
            Assert.True(report.Facts.Chain!.IsTrusted);
            Assert.True(report.Facts.Chain.IsComplete);
            Assert.Empty(report.Findings);
        }
        finally
        {
            authorities.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public async Task A_chain_of_hundreds_of_kilobytes_fails_the_handshake_and_says_it_is_too_large()
    {
        // About 500 KiB of certificates in one handshake message. OpenSSL refuses a certificate list over 100 KiB before
        // reading it, as would every OpenSSL-based client of such a server: a clear failure, not a silent truncation.
        var authorities = _root.CreateIntermediates(60, paddingBytes: 8 * 1024);
        try
        {
            using var leaf = authorities[^1].IssueServerCertificate("localhost");
            var sent = authorities.AsEnumerable().Reverse().Select(a => a.Certificate).ToList();
            Assert.True(sent.Sum(c => c.RawData.Length) > 400 * 1024);
            await using var server = await TlsTestServer.StartAsync(leaf, sent);
            var source = new TlsEndpointCertificateSource(server.Host, server.Port, "localhost") { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

            using var result = await source.LoadAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);

            Assert.Empty(result.Certificates);
            var error = Assert.Single(result.Errors);
            Assert.Equal(LoadErrorReason.HandshakeFailed, error.Reason);
            Assert.Equal($"127.0.0.1:{server.Port} (SNI localhost)", error.Location);
            Assert.Contains("larger than the TLS client accepts", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            authorities.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public async Task Cancelling_during_the_handshake_throws_and_does_not_wait_for_the_timeout()
    {
        await using var server = RawTcpServer.Silent();
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port) { HandshakeTimeout = TimeSpan.FromMinutes(5), Timeout = TimeSpan.FromMinutes(5) };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var load = source.LoadAsync(cancellation.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => load.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_already_cancelled_load_throws()
    {
        var source = new TlsEndpointCertificateSource("127.0.0.1", 443);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.LoadAsync(new CancellationToken(canceled: true)).AsTask());
    }

    [Fact]
    public async Task The_scanner_reports_a_connection_failure_as_a_load_error_naming_the_endpoint()
    {
        await using var server = RawTcpServer.Closing(reset: true);
        var source = new TlsEndpointCertificateSource("127.0.0.1", server.Port, name: "payments-frontend") { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };

        var scan = await new CertificateScanner().ScanAsync(source);

        Assert.Empty(scan.Reports);
        var error = Assert.Single(scan.Errors);
        Assert.Equal($"127.0.0.1:{server.Port}", error.Location);
        Assert.Equal(CertificateStatus.Unhealthy, scan.Status);
        Assert.Equal("payments-frontend", scan.Source.Name);
    }

    private static TlsEndpointCertificateSource Endpoint(TlsTestServer server) =>
        new(server.Host, server.Port) { ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard };
}
