using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.AspNetCore.TlsErrors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.AspNetCore.Tests.TlsErrors;

public sealed class TlsHandshakeFailureCounterTests : IAsyncDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly FakeLogger<TlsHandshakeFailureCounter> _logger = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> _collector;
    private readonly TlsHandshakeFailureCounter _failures;
    private readonly ServerCertificateReloader _reloader = new(new ServerCertificateReloaderOptions { WatchFiles = false });
    private HttpsTestServer? _server;

    public TlsHandshakeFailureCounterTests()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        _collector = new MetricCollector<long>(meterFactory, "CertGuard", "certguard_tls_handshake_failures");
        _failures = new TlsHandshakeFailureCounter(_time, _logger, meterFactory);
        using var leaf = _root.IssueServerCertificate("api.test");
        CertificateFileWriter.WritePem(Path.Combine(_directory.Path, "api.crt"), Path.Combine(_directory.Path, "api.key"), leaf);
        _reloader.Add(Path.Combine(_directory.Path, "api.crt"), Path.Combine(_directory.Path, "api.key"), null, "api.test");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _reloader.Dispose();
        _failures.Dispose();
        _collector.Dispose();
        await _services.DisposeAsync();
        _directory.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task An_unknown_server_name_counts_as_no_certificate_and_a_good_handshake_counts_nothing()
    {
        var port = await StartAsync();

        Assert.True(await HandshakeAsync(port, "api.test"));
        Assert.False(await HandshakeAsync(port, "unknown.test"));

        Assert.Equal("no-certificate", await SingleReasonAsync());
        var warning = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(6201, warning.Id.Id);
        Assert.Contains("unknown.test", warning.Message);
    }

    [Fact]
    public async Task A_client_with_no_version_in_common_counts_as_protocol_mismatch()
    {
        var port = await StartAsync(options => options.EnabledSslProtocols = SslProtocols.Tls13);

        Assert.False(await HandshakeAsync(port, "api.test", SslProtocols.Tls12));

        Assert.Equal("protocol-mismatch", await SingleReasonAsync());
    }

    [Fact]
    public async Task A_missing_client_certificate_where_one_is_required_counts_as_client_certificate_rejected()
    {
        var port = await StartAsync(options => options.ClientCertificateRequired = true);

        Assert.False(await HandshakeAsync(port, "api.test"));

        Assert.Equal("client-certificate-rejected", await SingleReasonAsync());
    }

    [Fact]
    public async Task A_connection_that_sends_no_client_hello_is_not_a_handshake_failure()
    {
        var port = await StartAsync();
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        }

        Assert.False(await HandshakeAsync(port, "unknown.test"));

        // Only the real handshake was counted: had the probe been, it would be the first measurement.
        Assert.Equal("no-certificate", await SingleReasonAsync());
    }

    [Fact]
    public async Task Bursts_are_logged_once_per_interval_with_the_number_since_the_last_log()
    {
        var port = await StartAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.False(await HandshakeAsync(port, "unknown.test"));
        }

        await _collector.WaitForMeasurementsAsync(3, HangGuard);
        Assert.Single(_logger.Collector.GetSnapshot());
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await HandshakeAsync(port, "unknown.test"));
        await _collector.WaitForMeasurementsAsync(4, HangGuard);
        _time.Advance(TimeSpan.FromMinutes(1));

        // Every failure is in exactly one line: 1 at once, 2 held back until the interval ended, then the 4th.
        var logs = _logger.Collector.GetSnapshot();
        Assert.Equal(3, logs.Count);
        Assert.StartsWith("1 TLS handshake(s) failed (no-certificate)", logs[0].Message);
        Assert.StartsWith("2 TLS handshake(s) failed (no-certificate)", logs[1].Message);
        Assert.StartsWith("1 TLS handshake(s) failed (no-certificate)", logs[2].Message);
        Assert.Equal(4, _collector.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void Failures_held_back_by_the_log_interval_are_logged_with_their_count_when_it_ends_even_if_all_is_quiet()
    {
        // 30 failed handshakes, then nothing: the first is logged at once, the other 29 when the interval ends.
        for (var i = 0; i < 30; i++)
        {
            _failures.Record(TlsHandshakeFailureReason.ProtocolMismatch, "api.test");
        }

        Assert.StartsWith("1 TLS handshake(s) failed (protocol-mismatch)", Assert.Single(_logger.Collector.GetSnapshot()).Message);
        _time.Advance(_failures.LogInterval - TimeSpan.FromSeconds(1));
        Assert.Single(_logger.Collector.GetSnapshot());

        _time.Advance(TimeSpan.FromSeconds(1));
        var logs = _logger.Collector.GetSnapshot();
        Assert.Equal(2, logs.Count);
        Assert.StartsWith("29 TLS handshake(s) failed (protocol-mismatch)", logs[1].Message);
        Assert.Equal(30, _collector.GetMeasurementSnapshot().Sum(m => m.Value));

        // Nothing more held back: quiet stays quiet.
        _time.Advance(_failures.LogInterval * 3);
        Assert.Equal(2, _logger.Collector.GetSnapshot().Count);
    }

    private async Task<int> StartAsync(Action<SslServerAuthenticationOptions>? configure = null)
    {
        _server = await HttpsTestServer.StartAsync(listen => listen.UseHttps(_reloader, configure, _failures));
        return _server.Port;
    }

    private async Task<string> SingleReasonAsync()
    {
        await _collector.WaitForMeasurementsAsync(1, HangGuard);
        var measurement = Assert.Single(_collector.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        return (string)measurement.Tags["reason"]!;
    }

    private static async Task<bool> HandshakeAsync(int port, string serverName, SslProtocols protocols = SslProtocols.None)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = new SslStream(client.GetStream());
        using var guard = new CancellationTokenSource(HangGuard);
        try
        {
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, guard.Token);

            // TLS 1.3 reports a refused client certificate only on the first read.
            await stream.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray(), guard.Token);
            var buffer = new byte[256];
            return await stream.ReadAsync(buffer, guard.Token) > 0;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return false;
        }
    }
}
