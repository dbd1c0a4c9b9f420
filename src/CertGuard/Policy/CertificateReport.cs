using CertGuard.Inspection;

namespace CertGuard.Policy;

/// <summary>One certificate, judged: where it came from, its facts, the findings about it and its status.</summary>
public sealed record CertificateReport
{
    /// <summary>The name of the source (registration) the certificate came from.</summary>
    public required string SourceName { get; init; }

    /// <summary>Who owns the certificate, when known.</summary>
    public string? Owner { get; init; }

    /// <summary>Tags of the source.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>What is true of the certificate.</summary>
    public required CertificateFacts Facts { get; init; }

    /// <summary>The findings, most severe first.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>The worst of the findings.</summary>
    public CertificateStatus Status => CertificatePolicy.StatusOf(Findings);

    /// <summary>The moment the findings were judged at.</summary>
    public required DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>The time left until expiry at <see cref="EvaluatedAt"/> (negative once expired).</summary>
    public TimeSpan TimeRemaining => Facts.NotAfter - EvaluatedAt;

    /// <summary>
    /// Whole days left until expiry at <see cref="EvaluatedAt"/>, counted like the findings' messages: complete days,
    /// truncated toward zero, negative once expired (expired 5.5 days ago is -5, "5 days ago"; 0 within a day either side).
    /// </summary>
    public int DaysRemaining => (int)TimeRemaining.TotalDays;
}
