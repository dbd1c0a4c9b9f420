using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard.Monitoring;

/// <summary>What the monitor knows about one source: its latest reports and errors, when they were taken, and whether they are stale.</summary>
public sealed record SourceState
{
    /// <summary>The source.</summary>
    public required CertificateSource Source { get; init; }

    /// <summary>The name of the health check that reports this source.</summary>
    public required string CheckName { get; init; }

    /// <summary>The reports of the last successful refresh (judged again at <see cref="JudgedAt"/> when stale).</summary>
    public IReadOnlyList<CertificateReport> Reports { get; init; } = [];

    /// <summary>The load errors of the latest refresh.</summary>
    public IReadOnlyList<LoadError> Errors { get; init; } = [];

    /// <summary>Whether the source has been refreshed at least once (successfully or not).</summary>
    public bool IsChecked { get; init; }

    /// <summary>When the source last refreshed successfully, or null if it never has.</summary>
    public DateTimeOffset? RefreshedAt { get; init; }

    /// <summary>When the source was last attempted, or null if never.</summary>
    public DateTimeOffset? AttemptedAt { get; init; }

    /// <summary>When the reports were last judged by the policy.</summary>
    public DateTimeOffset? JudgedAt { get; init; }

    /// <summary>
    /// Whether the latest refresh failed and <see cref="Reports"/> are those of an earlier one. A certificate already
    /// loaded keeps serving while its file is briefly missing or its endpoint briefly unreachable, so a stale source is
    /// at least <see cref="CertificateStatus.Degraded"/>, not unhealthy.
    /// </summary>
    public bool IsStale { get; init; }

    /// <summary>Since when the source has been stale, or null.</summary>
    public DateTimeOffset? StaleSince { get; init; }

    /// <summary>Why the source is stale, or null.</summary>
    public string? StaleReason { get; init; }

    /// <summary>
    /// The source's status: <see cref="CertificateStatus.Degraded"/> before its first refresh and while stale (or worse
    /// if a kept report is worse), <see cref="CertificateStatus.Unhealthy"/> when it has never loaded, otherwise the worst report or load error (a
    /// load error weighs as its <see cref="LoadError.Severity"/>: one bad file in a folder is Degraded by default).
    /// </summary>
    public CertificateStatus Status
    {
        get
        {
            if (!IsChecked)
            {
                return CertificateStatus.Degraded;
            }

            var worst = CertificateStatus.Healthy;
            foreach (var report in Reports)
            {
                worst = report.Status > worst ? report.Status : worst;
            }

            if (IsStale)
            {
                return worst > CertificateStatus.Degraded ? worst : CertificateStatus.Degraded;
            }

            foreach (var error in Errors)
            {
                worst = error.Status > worst ? error.Status : worst;
            }

            return worst;
        }
    }
}
