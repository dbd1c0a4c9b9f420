namespace CertGuard.Policy;

/// <summary>
/// Every threshold of the policy, in one place. Bindable from configuration (section <c>CertGuard</c>).
/// </summary>
public sealed class CertificatePolicyOptions
{
    // A clock a day off is broken, not lagging: beyond this a tolerance would hide certificates dated in the future.
    private static readonly TimeSpan MaximumClockSkewTolerance = TimeSpan.FromDays(1);

    /// <summary>
    /// A certificate is <see cref="CertificateStatus.Degraded"/> this long before it expires, or sooner: see
    /// <see cref="DegradedLifetimeFraction"/>. Default 30 days.
    /// </summary>
    public TimeSpan DegradedBefore { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Caps the warning window at this fraction of the certificate's lifetime, so a 47- or 90-day certificate is not
    /// degraded for most of its life. Default one third; <see langword="null"/> or 0 uses <see cref="DegradedBefore"/> alone.
    /// </summary>
    public double? DegradedLifetimeFraction { get; set; } = 1.0 / 3;

    /// <summary>
    /// A certificate is <see cref="CertificateStatus.Unhealthy"/> this long before it expires. Default zero: only once
    /// it has expired, because an unhealthy node is taken out of service.
    /// </summary>
    public TimeSpan UnhealthyBefore { get; set; } = TimeSpan.Zero;

    /// <summary>Caps the unhealthy window at this fraction of the lifetime; <see langword="null"/> or 0 for no cap.</summary>
    public double? UnhealthyLifetimeFraction { get; set; }

    /// <summary>Leaves valid for longer than this draw <c>long-validity</c>. Default 398 days (the CA/Browser Forum limit).</summary>
    public TimeSpan MaximumValidity { get; set; } = TimeSpan.FromDays(398);

    /// <summary>RSA and DSA keys shorter than this draw <c>weak-key</c>. Default 2048.</summary>
    public int MinimumRsaKeySize { get; set; } = 2048;

    /// <summary>Elliptic-curve keys shorter than this draw <c>weak-key</c>. Default 256.</summary>
    public int MinimumEcKeySize { get; set; } = 256;

    /// <summary>
    /// Whether a chain that fails trust evaluation makes the certificate unhealthy (Critical) rather than degraded.
    /// Only applies where trust is evaluated. Default true.
    /// </summary>
    public bool RequireTrustedChain { get; set; } = true;

    /// <summary>
    /// How far the host's clock may lag the issuer's. A certificate that becomes valid less than this far in the future
    /// is <c>not-yet-valid</c> as a Warning (the host's clock is probably behind: CAs date <c>notBefore</c> at issuance),
    /// not a Critical that would drain a node during every rotation. Default 5 minutes; at most 1 day. It never delays expiry.
    /// </summary>
    public TimeSpan ClockSkewTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Finding ids to drop (for example <c>long-validity</c> for an internal PKI).</summary>
    public IList<string> IgnoredFindings { get; set; } = [];

    /// <summary>The problems with these options, one line each; empty when they are valid.</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (DegradedBefore < TimeSpan.Zero)
        {
            problems.Add($"{nameof(DegradedBefore)} must not be negative (was {DegradedBefore}).");
        }

        if (UnhealthyBefore < TimeSpan.Zero)
        {
            problems.Add($"{nameof(UnhealthyBefore)} must not be negative (was {UnhealthyBefore}).");
        }

        if (UnhealthyBefore > DegradedBefore)
        {
            problems.Add($"{nameof(UnhealthyBefore)} ({UnhealthyBefore}) must not be longer than {nameof(DegradedBefore)} ({DegradedBefore}).");
        }

        foreach (var (name, value) in new[] { (nameof(DegradedLifetimeFraction), DegradedLifetimeFraction), (nameof(UnhealthyLifetimeFraction), UnhealthyLifetimeFraction) })
        {
            if (value is < 0 or > 1 || (value.HasValue && double.IsNaN(value.Value)))
            {
                problems.Add($"{name} must be between 0 and 1 (was {value}).");
            }
        }

        if (MaximumValidity <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(MaximumValidity)} must be positive (was {MaximumValidity}).");
        }

        if (ClockSkewTolerance < TimeSpan.Zero || ClockSkewTolerance > MaximumClockSkewTolerance)
        {
            problems.Add($"{nameof(ClockSkewTolerance)} must be between 00:00:00 and {MaximumClockSkewTolerance} (was {ClockSkewTolerance}).");
        }

        if (MinimumRsaKeySize < 0 || MinimumEcKeySize < 0)
        {
            problems.Add("Minimum key sizes must not be negative.");
        }

        return problems;
    }
}
