namespace CertGuard.Inspection;

/// <summary>What chain building found, with the caller's choice of trust.</summary>
public sealed record ChainFacts
{
    /// <summary>The trust the chain was evaluated against.</summary>
    public required ChainTrustMode TrustMode { get; init; }

    /// <summary>Whether the chain reached a trusted root with no error other than time validity.</summary>
    public required bool IsTrusted { get; init; }

    /// <summary>Whether the chain could be built up to a self-signed root.</summary>
    public required bool IsComplete { get; init; }

    /// <summary>The chain-status problems reported, as the platform names them (<c>UntrustedRoot</c>, <c>PartialChain</c>, ...).</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>The verified chain from the leaf to the root.</summary>
    public required IReadOnlyList<CertificateSummary> Elements { get; init; }

    /// <summary>The earliest end of validity in the verified chain: when the chain as a whole stops working.</summary>
    public DateTimeOffset? EarliestNotAfter => Elements.Count == 0 ? null : Elements.Min(e => e.NotAfter);
}
