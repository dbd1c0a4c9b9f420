using CertGuard.Inspection;
using CertGuard.Sources;

namespace CertGuard.Cli.Scanning;

/// <summary>
/// Recognises TLS endpoint targets (<c>host:port</c>, <c>[v6]:port</c>, <c>tls://host:port</c>) and makes their
/// sources with the library's <see cref="TlsEndpointCertificateSource"/>.
/// </summary>
internal static class EndpointTargets
{
    private static readonly string[] Schemes = ["tls://", "https://"];

    /// <summary>
    /// Whether a target is written as an endpoint rather than a path or glob: a <c>tls://</c> scheme, a bracketed
    /// address followed by a port (or brackets, closed or not, holding a colon and nothing after), or <c>host:digits</c> with no path
    /// separator. Asked only once no file or directory of that name exists, so <c>[ab].pem</c> stays a glob and a
    /// bad port is reported as a bad port rather than a missing file.
    /// </summary>
    public static bool LookLikeEndpoint(string target)
    {
        if (Schemes.Any(s => target.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        if (target.IndexOfAny(['/', '\\']) >= 0)
        {
            return false;
        }

        if (target.StartsWith('['))
        {
            // '[::1', '[::1]' and '[::1]:443' are addresses (the first two malformed); '[ab].pem' is a character class.
            var close = target.IndexOf(']', StringComparison.Ordinal);
            return close < 0 || close == target.Length - 1
                ? target.Contains(':', StringComparison.Ordinal)
                : target[close + 1] == ':';
        }

        var colon = target.LastIndexOf(':');
        return colon > 0 && colon < target.Length - 1 && target[(colon + 1)..].All(char.IsAsciiDigit);
    }

    /// <summary>Makes the source for an endpoint target.</summary>
    /// <param name="target">The target as given.</param>
    /// <param name="settings">The scan settings (server name, trust, revocation, owners, timeout).</param>
    /// <returns>The source.</returns>
    /// <exception cref="UsageException">The target is not a valid endpoint (bad port, malformed brackets, bad host) or <c>--sni</c> cannot be used with it.</exception>
    public static CertificateSource Create(string target, ScanSettings settings)
    {
        TlsEndpointCertificateSource parsed;
        try
        {
            parsed = TlsEndpointCertificateSource.Parse(target);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"'{target}' is not a TLS endpoint ({ex.Message.TrimEnd('.')}); use host:port, [v6-address]:port or tls://host:port.");
        }

        try
        {
            var timeout = settings.Timeout;
            return new TlsEndpointCertificateSource(parsed.Host, parsed.Port, settings.ServerName)
            {
                Trust = settings.EndpointTrust ?? ChainTrust.System,
                Revocation = settings.Revocation ?? RevocationCheckMode.Online,
                Owner = OwnerOf(parsed, settings),
                Timeout = timeout,
                ConnectTimeout = Min(TimeSpan.FromSeconds(5), timeout),
                HandshakeTimeout = Min(TimeSpan.FromSeconds(10), timeout),
            };
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--sni '{settings.ServerName}' cannot be used for '{target}' ({ex.Message.Split('(')[0].Trim().TrimEnd('.')}).");
        }
    }

    private static string? OwnerOf(TlsEndpointCertificateSource endpoint, ScanSettings settings)
    {
        var hostAndPort = endpoint.Location;
        return settings.ServerName is { } serverName
            ? settings.Owners.Find($"{serverName}:{endpoint.Port}") ?? settings.Owners.Find(hostAndPort)
            : settings.Owners.Find(hostAndPort);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
