using CertGuard.Cli.Owners;
using CertGuard.Cli.Reporting;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;

namespace CertGuard.Cli.Scanning;

/// <summary>Everything the <c>scan</c> command was asked to do, validated.</summary>
internal sealed class ScanSettings
{
    public required IReadOnlyList<string> Targets { get; init; }

    public string? ServerName { get; init; }

    public ReportFormat Format { get; init; }

    public string? OutputPath { get; init; }

    public required CertificateLoadOptions LoadOptions { get; init; }

    /// <summary>The trust for files and stores; null for none.</summary>
    public ChainTrust? FileTrust { get; init; }

    /// <summary>The trust for endpoints: custom roots when given, else the system's.</summary>
    public required ChainTrust EndpointTrust { get; init; }

    public required CertificatePolicyOptions Policy { get; init; }

    public required OwnerMap Owners { get; init; }

    public FailOn FailOn { get; init; } = FailOn.Unhealthy;

    public int Concurrency { get; init; } = Environment.ProcessorCount;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The revocation mode for every source; null leaves each kind's default (files off, endpoints online).</summary>
    public RevocationCheckMode? Revocation { get; init; }

    public bool Quiet { get; init; }
}
