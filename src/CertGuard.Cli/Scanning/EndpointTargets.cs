using CertGuard.Sources;

namespace CertGuard.Cli.Scanning;

/// <summary>Recognises TLS endpoint targets (<c>host:port</c>, <c>[v6]:port</c>, <c>tls://host:port</c>) and makes their sources.</summary>
internal static class EndpointTargets
{
    /// <summary>Makes the source for an endpoint target.</summary>
    /// <param name="target">The target as given.</param>
    /// <param name="settings">The scan settings (server name, trust, revocation, owners, timeout).</param>
    /// <param name="source">The source, when the target is an endpoint.</param>
    /// <param name="problem">Why a target that must be an endpoint (tls://) is not a valid one; null otherwise.</param>
    /// <returns>Whether the target is an endpoint.</returns>
    public static bool TryCreate(string target, ScanSettings settings, out CertificateSource? source, out string? problem)
    {
        source = null;
        problem = target.StartsWith("tls://", StringComparison.OrdinalIgnoreCase)
            ? $"'{target}' is not a TLS endpoint: endpoint scanning is not available in this build yet."
            : null;
        return false;
    }
}
