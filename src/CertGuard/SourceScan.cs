using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard;

/// <summary>The outcome of scanning one source: a report per certificate and the reasons for anything not loaded.</summary>
public sealed record SourceScan
{
    /// <summary>The source scanned.</summary>
    public required CertificateSource Source { get; init; }

    /// <summary>One report per certificate found.</summary>
    public required IReadOnlyList<CertificateReport> Reports { get; init; }

    /// <summary>What could not be loaded, and why.</summary>
    public required IReadOnlyList<LoadError> Errors { get; init; }

    /// <summary>When the scan finished (the moment the findings were judged at).</summary>
    public required DateTimeOffset ScannedAt { get; init; }

    /// <summary>How long the scan took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The worst status among the reports and load errors (a load error weighs as its <see cref="LoadError.Severity"/>).</summary>
    public CertificateStatus Status =>
        Reports.Select(r => r.Status).Concat(Errors.Select(e => e.Status)).DefaultIfEmpty(CertificateStatus.Healthy).Max();
}
