using System.Net;
using System.Net.Sockets;
using System.Text;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.Extensions.Options;

namespace CertGuard.AspNetCore.Tests.Monitoring;

/// <summary>
/// Every kind of faulty endpoint in one monitor beside healthy ones: each faulty endpoint gets its own finding naming
/// it, and the healthy ones are reported as if the others were not there.
/// </summary>
public sealed class CertificateMonitorEndpointFaultTests : IDisposable
{
    // Endpoints that must wait out a timeout get a short one, so the test stays quick. Endpoints whose outcome is
    // immediate get a generous one, a hang guard only, so a loaded machine cannot turn their answer into a timeout.
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);

    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TestCertificateAuthority _intermediate;

    public CertificateMonitorEndpointFaultTests() => _intermediate = _root.CreateIntermediate();

    public void Dispose()
    {
        _intermediate.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task Each_faulty_endpoint_gets_its_own_clear_finding_and_the_healthy_ones_are_unaffected()
    {
        // Healthy: one server, three names.
        string[] healthyNames = ["alpha.example.test", "beta.example.test", "gamma.example.test"];
        var healthyLeaves = healthyNames.Select(n => _intermediate.IssueServerCertificate(n)).ToList();
        var contexts = healthyLeaves.ToDictionary(c => c.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, false), c => TlsTestServer.CreateContext(c, [_intermediate.Certificate]));
        await using var healthy = await TlsTestServer.StartAsync(name => contexts.GetValueOrDefault(name) ?? contexts[healthyNames[0]]);

        // Faulty: every kind the issue names.
        var now = DateTimeOffset.UtcNow;
        using var expiredLeaf = _intermediate.IssueServerCertificate("expired.example.test", notBefore: now.AddDays(-100), notAfter: now.AddDays(-10));
        await using var expired = await TlsTestServer.StartAsync(expiredLeaf, [_intermediate.Certificate]);
        var hugeChain = _root.CreateIntermediates(60, paddingBytes: 8 * 1024);
        using var hugeLeaf = hugeChain[^1].IssueServerCertificate("huge.example.test");
        await using var huge = await TlsTestServer.StartAsync(hugeLeaf, hugeChain.AsEnumerable().Reverse().Select(a => a.Certificate));
        await using var reset = RawTcpServer.Closing(reset: true);
        await using var silent = RawTcpServer.Silent();
        await using var garbage = RawTcpServer.Replying(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
        await using var trickle = RawTcpServer.Trickling(TlsRecords.ServerHello(), TimeSpan.FromSeconds(1));
        await using var alert = RawTcpServer.Replying(TlsRecords.FatalAlert(40));
        using var blackHole = await SaturatedListener.StartAsync();
        var refusedPort = FreePort();

        var trust = ChainTrust.Custom([_root.Certificate]);
        var sources = new List<TlsEndpointCertificateSource>
        {
            Endpoint("refused", refusedPort, HangGuard),
            Endpoint("reset", reset.Port, HangGuard),
            Endpoint("silent", silent.Port, Short),
            Endpoint("garbage", garbage.Port, HangGuard),
            Endpoint("trickle", trickle.Port, Short),
            Endpoint("alert", alert.Port, HangGuard),
            Endpoint("black-hole", blackHole.Port, Short),
            new(healthy.Host, expired.Port, "expired.example.test", "expired") { Trust = trust, ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard },
            new(healthy.Host, huge.Port, "huge.example.test", "huge") { Trust = trust, ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard },
        };
        sources.AddRange(healthyNames.Select(n => new TlsEndpointCertificateSource(healthy.Host, healthy.Port, n, n) { Trust = trust, ConnectTimeout = HangGuard, HandshakeTimeout = HangGuard }));

        var options = new CertificateMonitorOptions { RefreshInterval = TimeSpan.FromHours(1) };
        foreach (var source in sources)
        {
            options.Sources.Add(new MonitoredSource(source, "endpoints"));
        }

        using var monitor = new CertificateMonitor(Options.Create(options), Options.Create(new CertificatePolicyOptions()));
        try
        {
            await monitor.StartAsync(CancellationToken.None);
            await monitor.FirstRefresh.WaitAsync(TimeSpan.FromSeconds(60));
            var snapshot = monitor.Snapshot;

            AssertError(snapshot, "refused", LoadErrorReason.ConnectionFailed, "refused");
            AssertError(snapshot, "reset", LoadErrorReason.ConnectionFailed, "reset");
            AssertError(snapshot, "silent", LoadErrorReason.Timeout, "handshake did not complete within 2 s");
            AssertError(snapshot, "garbage", LoadErrorReason.HandshakeFailed, "not a TLS server");
            AssertError(snapshot, "trickle", LoadErrorReason.Timeout, "handshake did not complete within 2 s");
            AssertError(snapshot, "alert", LoadErrorReason.HandshakeFailed, "TLS alert");
            AssertError(snapshot, "black-hole", LoadErrorReason.Timeout, "connect did not complete within 2 s");
            AssertError(snapshot, "huge", LoadErrorReason.HandshakeFailed, "larger than the TLS client accepts");

            var expiredState = State(snapshot, "expired");
            Assert.Empty(expiredState.Errors);
            Assert.Contains(Assert.Single(expiredState.Reports).Findings, f => f.Id == FindingIds.Expired);
            Assert.Equal(CertificateStatus.Unhealthy, expiredState.Status);

            foreach (var name in healthyNames)
            {
                var state = State(snapshot, name);
                Assert.Empty(state.Errors);
                var report = Assert.Single(state.Reports);
                Assert.Equal(name, report.Facts.SubjectCommonName);
                Assert.Empty(report.Findings);
                Assert.Equal(CertificateStatus.Healthy, state.Status);
            }

            Assert.Equal(sources.Count, snapshot.Sources.Count);
            Assert.All(snapshot.Sources, s => Assert.True(s.IsChecked, s.Source.Name));
            Assert.Equal(CertificateStatus.Unhealthy, snapshot.Status);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
            hugeChain.ForEach(a => a.Dispose());
            healthyLeaves.ForEach(c => c.Dispose());
        }
    }

    private static TlsEndpointCertificateSource Endpoint(string name, int port, TimeSpan timeout) =>
        new("127.0.0.1", port, name: name) { ConnectTimeout = timeout, HandshakeTimeout = timeout };

    private static SourceState State(CertificateSnapshot snapshot, string name) => snapshot.Sources.Single(s => s.Source.Name == name);

    private static void AssertError(CertificateSnapshot snapshot, string name, LoadErrorReason reason, string words)
    {
        var state = State(snapshot, name);
        Assert.Empty(state.Reports);
        var error = Assert.Single(state.Errors);
        Assert.True(reason == error.Reason, $"{name}: expected {reason}, got {error}");
        Assert.Equal(state.Source.Location, error.Location);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.Unhealthy, state.Status);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
