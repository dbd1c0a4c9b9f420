using CertGuard.Inspection;
using CertGuard.Sources;

namespace CertGuard.Cli.Scanning;

/// <summary>
/// Recognises TLS endpoint targets (<c>host:port</c>, <c>[v6]:port</c>, <c>tls://host:port</c>) and makes their
/// sources with the library's <see cref="TlsEndpointCertificateSource"/>.
/// </summary>
internal static class EndpointTargets
{
    private const string Scheme = "tls://";

    /// <summary>Makes the source for an endpoint target.</summary>
    /// <param name="target">The target as given.</param>
    /// <param name="settings">The scan settings (server name, trust, revocation, owners, timeout).</param>
    /// <param name="source">The source, when the target is an endpoint.</param>
    /// <param name="problem">Why a target that must be an endpoint (<c>tls://</c>, or <c>--sni</c> rejected) is not valid; null otherwise.</param>
    /// <returns>Whether the target is an endpoint.</returns>
    public static bool TryCreate(string target, ScanSettings settings, out CertificateSource? source, out string? problem)
    {
        source = null;
        problem = null;
        TlsEndpointCertificateSource parsed;
        if (target.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                parsed = TlsEndpointCertificateSource.Parse(target);
            }
            catch (FormatException ex)
            {
                problem = $"'{target}' is not a TLS endpoint ({ex.Message.TrimEnd('.')}); use tls://host:port or tls://[v6-address]:port.";
                return false;
            }
        }
        else if (!TlsEndpointCertificateSource.TryParse(target, out parsed!))
        {
            return false;
        }

        try
        {
            var timeout = settings.Timeout;
            var endpoint = new TlsEndpointCertificateSource(parsed.Host, parsed.Port, settings.ServerName)
            {
                Trust = settings.EndpointTrust ?? ChainTrust.System,
                Revocation = settings.Revocation ?? RevocationCheckMode.Online,
                Owner = OwnerOf(parsed, settings),
                Timeout = timeout,
                ConnectTimeout = Min(TimeSpan.FromSeconds(5), timeout),
                HandshakeTimeout = Min(TimeSpan.FromSeconds(10), timeout),
            };
            source = endpoint;
            return true;
        }
        catch (ArgumentException ex)
        {
            problem = $"--sni '{settings.ServerName}' cannot be used for '{target}' ({ex.Message.Split('(')[0].Trim().TrimEnd('.')}).";
            return false;
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
