using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CertGuard.Sources;

/// <summary>A host and port, read from the forms people write: <c>host:port</c>, <c>[v6]:port</c>, <c>tls://host:port</c>.</summary>
internal readonly record struct TlsEndpointAddress(string Host, int Port)
{
    private static readonly string[] Schemes = ["tls://", "https://"];

    /// <summary>Whether the host is an IP address rather than a name.</summary>
    public bool IsIPAddress => IPAddress.TryParse(Host, out _);

    /// <summary>The host as it is written in front of a port: IPv6 addresses in brackets.</summary>
    public string HostForDisplay => FormatHost(Host);

    public override string ToString() => $"{HostForDisplay}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static string FormatHost(string host) =>
        IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;

    /// <summary>Removes the brackets around an IPv6 address and checks that what remains is a host name or an address.</summary>
    public static string? NormalizeHost(string host, out string? error)
    {
        var bare = host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        if (bare.Length == 0)
        {
            error = "the host is empty";
            return null;
        }

        if (IPAddress.TryParse(bare, out _) || Uri.CheckHostName(bare) == UriHostNameType.Dns)
        {
            error = null;
            return bare;
        }

        error = $"'{host}' is neither a host name nor an IP address";
        return null;
    }

    public static bool TryParse(string? text, out TlsEndpointAddress address, out string error)
    {
        address = default;
        var rest = text?.Trim() ?? string.Empty;
        if (rest.Length == 0)
        {
            error = "the endpoint is empty: write host:port, for example example.com:443";
            return false;
        }

        var schemeEnd = rest.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            var scheme = Schemes.FirstOrDefault(s => rest.StartsWith(s, StringComparison.OrdinalIgnoreCase));
            if (scheme is null)
            {
                error = $"'{text}' has the scheme '{rest[..schemeEnd]}': only tls:// (or https://) endpoints can be watched";
                return false;
            }

            rest = rest[scheme.Length..];
            if (rest.EndsWith('/'))
            {
                rest = rest[..^1];
            }

            if (rest.Contains('/', StringComparison.Ordinal) || rest.Contains('?', StringComparison.Ordinal))
            {
                error = $"'{text}' has a path or query: write only host:port";
                return false;
            }
        }

        string host;
        string port;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}' opens '[' but never closes it: write [v6-address]:port, for example [::1]:443";
                return false;
            }

            host = rest[1..close];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{host}' in brackets is not an IPv6 address";
                return false;
            }

            if (close + 1 >= rest.Length || rest[close + 1] != ':')
            {
                error = $"'{text}' has no port: write [v6-address]:port, for example [::1]:443";
                return false;
            }

            port = rest[(close + 2)..];
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            if (colon < 0)
            {
                error = $"'{text}' has no port: write host:port, for example {rest}:443";
                return false;
            }

            if (rest.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"'{text}' looks like an IPv6 address without brackets: write [v6-address]:port, for example [::1]:443";
                return false;
            }

            host = rest[..colon];
            port = rest[(colon + 1)..];
            if (NormalizeHost(host, out var hostError) is null)
            {
                error = hostError!;
                return false;
            }
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            error = $"'{port}' is not a port: a port is a number from 1 to 65535";
            return false;
        }

        address = new TlsEndpointAddress(host, number);
        error = string.Empty;
        return true;
    }
}
