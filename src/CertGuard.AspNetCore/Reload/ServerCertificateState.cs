using CertGuard.Policy;

namespace CertGuard.AspNetCore.Reload;

/// <summary>What a <see cref="ServerCertificateReloader"/> serves for one set of files, and how its last reload went.</summary>
public sealed record ServerCertificateState
{
    /// <summary>The SNI names served with these files; empty for the default certificate.</summary>
    public required IReadOnlyList<string> ServerNames { get; init; }

    /// <summary>The certificate file (PEM or PKCS#12) as configured, before any symbolic link is followed.</summary>
    public required string CertificatePath { get; init; }

    /// <summary>The PEM key file as configured, or <see langword="null"/> when the key is in the certificate file.</summary>
    public string? KeyPath { get; init; }

    /// <summary>The SHA-256 thumbprint (upper-case hex) of the certificate being served.</summary>
    public required string ServingThumbprint { get; init; }

    /// <summary>The subject of the certificate being served.</summary>
    public required string ServingSubject { get; init; }

    /// <summary>The end of validity of the certificate being served.</summary>
    public required DateTimeOffset ServingNotAfter { get; init; }

    /// <summary>When the certificate being served was loaded.</summary>
    public required DateTimeOffset LoadedAt { get; init; }

    /// <summary>When the files were last read because they changed (or at start).</summary>
    public required DateTimeOffset LastAttemptAt { get; init; }

    /// <summary>
    /// Why the latest version of the files was refused (a critical <c>reload-rejected</c> finding), or
    /// <see langword="null"/> when the files on disk are the ones being served.
    /// </summary>
    public Finding? Rejection { get; init; }

    /// <summary>A short name for these files: the SNI names, or <c>default</c>.</summary>
    public string Name => ServerNames.Count == 0 ? "default" : string.Join(", ", ServerNames);
}
