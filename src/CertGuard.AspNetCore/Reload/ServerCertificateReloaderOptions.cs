using CertGuard.Inspection;

namespace CertGuard.AspNetCore.Reload;

/// <summary>How a <see cref="ServerCertificateReloader"/> notices new certificate files and what it accepts.</summary>
public sealed class ServerCertificateReloaderOptions
{
    /// <summary>
    /// How often every file is checked for a change (its resolved path, length and write time), whether or not a file
    /// system event arrived: the fallback for file systems and mounts that raise no events. One minute by default.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether to watch the files' directories (the link's and the resolved target's) for changes. On by default.</summary>
    public bool WatchFiles { get; set; } = true;

    /// <summary>
    /// How long to wait after the last file system event before reading: writes are rarely atomic, and reading a
    /// half-written file would reject it for nothing. One second by default.
    /// </summary>
    public TimeSpan ChangeDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The trust a new certificate's chain must have to replace the one being served;
    /// <see cref="ChainTrust.None"/> (the default) does not check the chain.
    /// </summary>
    public ChainTrust Trust { get; set; } = ChainTrust.None;

    /// <summary>
    /// How far this host's clock may lag the CA's: a new certificate that becomes valid within this much of now is
    /// served, not refused as not yet valid (CAs date certificates at issuance, so a lagging replica would otherwise keep
    /// the old one until its clock caught up). Five minutes by default, at most one day; it never extends an expired one.
    /// </summary>
    public TimeSpan ClockSkewTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The problems with these options, empty when they are valid.</summary>
    /// <returns>One sentence per problem.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (RefreshInterval <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(RefreshInterval)} must be positive (was {RefreshInterval}).");
        }

        if (ChangeDelay < TimeSpan.Zero)
        {
            problems.Add($"{nameof(ChangeDelay)} must not be negative (was {ChangeDelay}).");
        }

        if (ClockSkewTolerance < TimeSpan.Zero || ClockSkewTolerance > TimeSpan.FromDays(1))
        {
            problems.Add($"{nameof(ClockSkewTolerance)} must be between 00:00:00 and 1.00:00:00 (was {ClockSkewTolerance}).");
        }

        if (Trust is null)
        {
            problems.Add($"{nameof(Trust)} must be set; use ChainTrust.None not to check chains.");
        }

        return problems;
    }
}
