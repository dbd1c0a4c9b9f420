using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CertGuard.AspNetCore.Tests.Fixtures;

namespace CertGuard.Cli.Tests.Scanning;

/// <summary>Scans of a real Kestrel server on loopback with real TLS.</summary>
public sealed class EndpointScanTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();

    public void Dispose()
    {
        _root.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_live_endpoint_is_scanned_and_trusted_with_the_given_roots()
    {
        using var certificate = _root.IssueServerCertificate("service.test", ["service.test"], [IPAddress.Loopback]);
        await using var server = await TlsTestServer.StartAsync(certificate);
        TestCertificates.WritePem(_dir["root.pem"], _root.Certificate);

        var run = await CliRun.RunAsync("scan", server.Endpoint, "--trust", _dir["root.pem"], "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var entry = Assert.Single(json.RootElement.GetProperty("certificates").EnumerateArray());
        Assert.Equal(server.Endpoint, entry.GetProperty("source").GetString());
        Assert.Equal("CN=service.test", entry.GetProperty("subject").GetString());
        Assert.Equal(certificate.SerialNumber, entry.GetProperty("serialNumber").GetString());
        Assert.Equal("Healthy", entry.GetProperty("status").GetString());
        Assert.False(entry.GetProperty("hasPrivateKey").GetBoolean());
        Assert.Empty(json.RootElement.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Endpoints_use_system_trust_by_default_so_a_private_root_is_untrusted()
    {
        using var certificate = _root.IssueServerCertificate("service.test", ["service.test"], [IPAddress.Loopback]);
        await using var server = await TlsTestServer.StartAsync(certificate);

        var run = await CliRun.RunAsync("scan", $"tls://{server.Endpoint}", "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var entry = Assert.Single(json.RootElement.GetProperty("certificates").EnumerateArray());
        Assert.Equal("Unhealthy", entry.GetProperty("status").GetString());

        // The server sends only its leaf, so the chain stops short of a root the system does not know.
        var ids = entry.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.True(ids.Contains("incomplete-chain") || ids.Contains("untrusted-chain"), string.Join(", ", ids));
    }

    [Fact]
    public async Task Sni_is_sent_checked_and_matched_to_owners()
    {
        using var certificate = _root.IssueServerCertificate("service.test", ["service.test"]);
        await using var server = await TlsTestServer.StartAsync(certificate);
        TestCertificates.WritePem(_dir["root.pem"], _root.Certificate);
        File.WriteAllText(_dir["owners.json"], """{ "*.nowhere": "nobody", "service.test": "platform-team" }""");

        var matching = await CliRun.RunAsync("scan", server.Endpoint, "--sni", "service.test", "--trust", _dir["root.pem"], "--owners", _dir["owners.json"], "--format", "json");
        var mismatched = await CliRun.RunAsync("scan", server.Endpoint, "--sni", "other.test", "--trust", _dir["root.pem"], "--format", "json");

        Assert.True(matching.ExitCode == 0, matching.ToString());
        Assert.Contains("service.test", server.ReceivedServerNames);
        using (var json = JsonDocument.Parse(matching.Out))
        {
            Assert.Equal("platform-team", json.RootElement.GetProperty("certificates")[0].GetProperty("owner").GetString());
        }

        Assert.True(mismatched.ExitCode == 1, mismatched.ToString());
        Assert.Contains("hostname-mismatch", mismatched.Out);
    }

    [Fact]
    public async Task A_closed_port_is_a_load_error_not_a_crash()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await CliRun.RunAsync("scan", $"127.0.0.1:{port}", "--format", "json", "--timeout", "10");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var error = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal($"127.0.0.1:{port}", error.GetProperty("source").GetString());
        Assert.Contains(error.GetProperty("reason").GetString(), new[] { "ConnectionFailed", "Timeout" });
    }

    [Theory]
    [InlineData("tls://")]
    [InlineData("tls://host-without-port")]
    [InlineData("tls://127.0.0.1:70000")]
    public async Task A_malformed_tls_target_is_a_usage_error(string target)
    {
        var run = await CliRun.RunAsync("scan", target);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(target, run.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tls://")]
    public async Task An_ipv6_endpoint_on_real_kestrel_is_scanned_as_an_endpoint(string scheme)
    {
        using var certificate = _root.IssueServerCertificate("v6.test", ["v6.test"], [IPAddress.IPv6Loopback]);
        await using var server = await TlsTestServer.StartAsync(certificate, address: IPAddress.IPv6Loopback);
        TestCertificates.WritePem(_dir["root.pem"], _root.Certificate);
        var target = $"{scheme}[::1]:{server.Port}";

        var run = await CliRun.RunAsync("scan", target, "--trust", _dir["root.pem"], "--format", "json", "--revocation", "off");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var entry = Assert.Single(json.RootElement.GetProperty("certificates").EnumerateArray());
        Assert.Equal($"[::1]:{server.Port}", entry.GetProperty("source").GetString());
        Assert.Equal("CN=v6.test", entry.GetProperty("subject").GetString());
        Assert.Equal("Healthy", entry.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("host.example:99999", "'99999' is not a port: a port is a number from 1 to 65535")]
    [InlineData("host.example:0", "'0' is not a port")]
    [InlineData("[::1]:99999", "'99999' is not a port")]
    [InlineData("tls://[::1", "opens '[' but never closes it")]
    [InlineData("[::1", "opens '[' but never closes it")]
    [InlineData("[::1]", "has no port")]
    [InlineData("[not-v6]:443", "'not-v6' in brackets is not an IPv6 address")]
    [InlineData("::1:443", "looks like an IPv6 address without brackets")]
    public async Task A_malformed_endpoint_is_a_usage_error_saying_what_is_wrong(string target, string problem)
    {
        var run = await CliRun.RunAsync("scan", target);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"'{target}' is not a TLS endpoint (", run.Error);
        Assert.Contains(problem, run.Error);
    }

    [Fact]
    public async Task A_file_whose_name_looks_like_an_endpoint_is_scanned_as_the_file()
    {
        TestCertificates.WritePem(_dir["host.example:443"], TestCertificates.Healthy("file.example"));

        var run = await CliRun.RunInAsync(_dir.Path, "scan", "host.example:443", "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("CN=file.example", run.Out);
    }
}
