using CertGuard.Inspection;
using CertGuard.Sources;

namespace CertGuard.Tests.Sources;

public sealed class TlsEndpointCertificateSourceTests
{
    [Theory]
    [InlineData("example.com:443", "example.com", 443, "example.com:443")]
    [InlineData("  example.com:8443  ", "example.com", 8443, "example.com:8443")]
    [InlineData("tls://example.com:443", "example.com", 443, "example.com:443")]
    [InlineData("TLS://example.com:443/", "example.com", 443, "example.com:443")]
    [InlineData("https://example.com:443", "example.com", 443, "example.com:443")]
    [InlineData("192.0.2.10:636", "192.0.2.10", 636, "192.0.2.10:636")]
    [InlineData("[::1]:443", "::1", 443, "[::1]:443")]
    [InlineData("tls://[2001:db8::1]:5061", "2001:db8::1", 5061, "[2001:db8::1]:5061")]
    [InlineData("localhost:1", "localhost", 1, "localhost:1")]
    [InlineData("host:65535", "host", 65535, "host:65535")]
    public void Parses_the_forms_people_write(string endpoint, string host, int port, string location)
    {
        var source = TlsEndpointCertificateSource.Parse(endpoint);

        Assert.Equal(host, source.Host);
        Assert.Equal(port, source.Port);
        Assert.Equal(location, source.Location);
        Assert.Equal(location, source.Name);
        Assert.True(TlsEndpointCertificateSource.TryParse(endpoint, out var parsed));
        Assert.Equal(location, parsed.Location);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("example.com", "no port")]
    [InlineData("example.com:", "is not a port")]
    [InlineData("example.com:0", "is not a port")]
    [InlineData("example.com:65536", "is not a port")]
    [InlineData("example.com:-1", "is not a port")]
    [InlineData("example.com:https", "is not a port")]
    [InlineData("::1:443", "without brackets")]
    [InlineData("[::1]", "no port")]
    [InlineData("[::1:443", "never closes")]
    [InlineData("[example.com]:443", "not an IPv6 address")]
    [InlineData("http://example.com:80", "scheme 'http'")]
    [InlineData("tls://example.com:443/path", "path")]
    [InlineData("bad host:443", "neither a host name nor an IP address")]
    [InlineData(":443", "host is empty")]
    public void Says_what_is_wrong_with_an_endpoint_it_cannot_read(string endpoint, string problem)
    {
        var error = Assert.Throws<FormatException>(() => TlsEndpointCertificateSource.Parse(endpoint));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.False(TlsEndpointCertificateSource.TryParse(endpoint, out var source));
        Assert.Null(source);
    }

    [Fact]
    public void TryParse_refuses_null()
    {
        Assert.False(TlsEndpointCertificateSource.TryParse(null, out var source));
        Assert.Null(source);
    }

    [Fact]
    public void An_endpoint_source_is_remote_trusts_the_system_roots_and_checks_revocation_online_by_default()
    {
        var source = new TlsEndpointCertificateSource("example.com", 443);

        Assert.Equal("endpoint", source.Kind);
        Assert.True(source.IsRemote);
        Assert.Same(ChainTrust.System, source.Trust);
        Assert.Equal(RevocationCheckMode.Online, source.Revocation);
        Assert.Equal(TimeSpan.FromSeconds(5), source.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), source.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), source.Timeout);
        Assert.Empty(source.WatchedPaths);
        Assert.Equal("example.com", source.ServerName);
    }

    [Fact]
    public void Object_initializers_override_the_defaults()
    {
        var source = new TlsEndpointCertificateSource("example.com", 443)
        {
            Trust = ChainTrust.None,
            Revocation = RevocationCheckMode.Off,
            ConnectTimeout = TimeSpan.FromSeconds(1),
            HandshakeTimeout = TimeSpan.FromSeconds(2),
            Timeout = TimeSpan.FromSeconds(3),
            Owner = "payments",
        };

        Assert.Same(ChainTrust.None, source.Trust);
        Assert.Equal(RevocationCheckMode.Off, source.Revocation);
        Assert.Equal(TimeSpan.FromSeconds(1), source.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), source.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), source.Timeout);
        Assert.Equal("payments", source.Owner);
    }

    [Fact]
    public void An_ip_address_sends_no_server_name_unless_one_is_given()
    {
        Assert.Null(new TlsEndpointCertificateSource("192.0.2.10", 443).ServerName);
        Assert.Null(new TlsEndpointCertificateSource("[::1]", 443).ServerName);

        var named = new TlsEndpointCertificateSource("192.0.2.10", 443, "www.example.com");

        Assert.Equal("www.example.com", named.ServerName);
        Assert.Equal("192.0.2.10:443 (SNI www.example.com)", named.Location);
    }

    [Fact]
    public void A_server_name_equal_to_the_host_is_not_repeated_in_the_location()
    {
        Assert.Equal("example.com:443", new TlsEndpointCertificateSource("example.com", 443, "EXAMPLE.com").Location);
    }

    [Fact]
    public void The_name_defaults_to_the_location_and_can_be_given()
    {
        Assert.Equal("[::1]:8443", new TlsEndpointCertificateSource("::1", 8443).Name);
        Assert.Equal("frontend", new TlsEndpointCertificateSource("::1", 8443, name: "frontend").Name);
        Assert.Equal("frontend", TlsEndpointCertificateSource.Parse("[::1]:8443", name: "frontend").Name);
        Assert.Equal("www.example.com", TlsEndpointCertificateSource.Parse("[::1]:8443", serverName: "www.example.com").ServerName);
    }

    [Theory]
    [InlineData("bad host", 443)]
    [InlineData("", 443)]
    [InlineData("[]", 443)]
    [InlineData("a/b", 443)]
    public void Refuses_a_host_that_is_neither_a_name_nor_an_address(string host, int port)
    {
        Assert.ThrowsAny<ArgumentException>(() => new TlsEndpointCertificateSource(host, port));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Refuses_a_port_out_of_range(int port)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlsEndpointCertificateSource("example.com", port));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a name")]
    [InlineData("192.0.2.10")]
    public void Refuses_a_server_name_that_is_not_a_host_name(string serverName)
    {
        Assert.Throws<ArgumentException>(() => new TlsEndpointCertificateSource("example.com", 443, serverName));
    }

    [Fact]
    public void Refuses_a_null_host()
    {
        Assert.Throws<ArgumentNullException>(() => new TlsEndpointCertificateSource(null!, 443));
    }

    [Fact]
    public void Refuses_timeouts_that_are_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlsEndpointCertificateSource("example.com", 443) { ConnectTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlsEndpointCertificateSource("example.com", 443) { HandshakeTimeout = TimeSpan.FromSeconds(-1) });
        Assert.Equal(Timeout.InfiniteTimeSpan, new TlsEndpointCertificateSource("example.com", 443) { HandshakeTimeout = Timeout.InfiniteTimeSpan }.HandshakeTimeout);
    }
}
