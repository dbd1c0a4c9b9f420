namespace CertGuard.Inspection;

/// <summary>The outcome of checking whether a certificate was revoked.</summary>
public sealed record RevocationFacts
{
    /// <summary>What the check concluded.</summary>
    public required RevocationStatus Status { get; init; }

    /// <summary>Where the answer came from: <c>ocsp</c> or <c>crl</c>, with its URL.</summary>
    public string? Source { get; init; }

    /// <summary>When the certificate was revoked, when it was.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The revocation reason, when given (<c>keyCompromise</c>, <c>superseded</c>, ...).</summary>
    public string? RevocationReason { get; init; }

    /// <summary>When the answer was produced (OCSP or CRL <c>thisUpdate</c>).</summary>
    public DateTimeOffset? ThisUpdate { get; init; }

    /// <summary>When a fresher answer is due (OCSP or CRL <c>nextUpdate</c>).</summary>
    public DateTimeOffset? NextUpdate { get; init; }

    /// <summary>Whether the CRL used is past its <c>nextUpdate</c>.</summary>
    public bool IsStale { get; init; }

    /// <summary>Why the status is <see cref="RevocationStatus.Unknown"/>, or other problems met on the way.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}
