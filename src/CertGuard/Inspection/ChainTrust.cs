using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Inspection;

/// <summary>The caller's choice of trust for chain building.</summary>
public sealed class ChainTrust
{
    /// <summary>No chain evaluation.</summary>
    public static ChainTrust None { get; } = new() { Mode = ChainTrustMode.None };

    /// <summary>The operating system's trusted roots.</summary>
    public static ChainTrust System { get; } = new() { Mode = ChainTrustMode.System };

    /// <summary>Which roots to trust.</summary>
    public ChainTrustMode Mode { get; init; }

    /// <summary>The roots to trust when <see cref="Mode"/> is <see cref="ChainTrustMode.Custom"/>.</summary>
    public IReadOnlyList<X509Certificate2> CustomRoots { get; init; } = [];

    /// <summary>
    /// Whether chain building may download missing intermediates from AIA URLs. Off by default: an inventory
    /// should not reach the network unasked, and a chain that only builds by downloading is itself worth knowing.
    /// </summary>
    public bool AllowDownloads { get; init; }

    /// <summary>Trust only the given roots.</summary>
    /// <param name="roots">The roots to trust.</param>
    /// <returns>The trust choice.</returns>
    public static ChainTrust Custom(IEnumerable<X509Certificate2> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        return new ChainTrust { Mode = ChainTrustMode.Custom, CustomRoots = roots.ToList() };
    }
}
