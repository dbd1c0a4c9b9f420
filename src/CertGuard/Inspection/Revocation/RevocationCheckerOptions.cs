namespace CertGuard.Inspection.Revocation;

/// <summary>Limits and choices for <see cref="OcspCrlRevocationChecker"/>.</summary>
public sealed class RevocationCheckerOptions
{
    /// <summary>How long one OCSP request or CRL download may take. Default 5 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the whole check of one certificate may take, across every responder and CRL tried. Default 15 seconds.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many OCSP answers and CRLs are kept in memory (and, separately, how many certificates' issuers); the least
    /// recently used are dropped first. Default 1,000.
    /// </summary>
    public int CacheSize { get; set; } = 1000;

    /// <summary>How long an answer without a <c>nextUpdate</c> is reused before asking again. Default 1 hour.</summary>
    public TimeSpan CacheDurationWithoutNextUpdate { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a server that failed (refused, timed out, answered an HTTP error) is not asked again: every certificate
    /// of a CA whose responder hangs would otherwise wait out <see cref="RequestTimeout"/>. Zero retries every time.
    /// Default 1 minute.
    /// </summary>
    public TimeSpan FailureRetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether to ask OCSP responders first and fall back to CRLs (the default), or the other way round.</summary>
    public bool PreferOcsp { get; set; } = true;

    /// <summary>The largest CRL that will be downloaded, in bytes. Default 10 MiB.</summary>
    public long MaxCrlSize { get; set; } = 10 * 1024 * 1024;

    /// <summary>The largest OCSP response that will be read, in bytes. Default 64 KiB.</summary>
    public int MaxOcspResponseSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Whether small OCSP requests (under 255 bytes encoded) are sent with HTTP GET, as RFC 6960 appendix A allows,
    /// so caches between the client and the responder can serve them. Larger requests always use POST. Default true.
    /// </summary>
    public bool UseHttpGet { get; set; } = true;

    /// <summary>How far a responder's clock may be ahead of or behind ours. Default 5 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The problems with these options, empty when they are usable.</summary>
    /// <returns>One sentence per problem.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add("RequestTimeout must be positive.");
        }

        if (TotalTimeout < RequestTimeout)
        {
            problems.Add("TotalTimeout must be at least RequestTimeout.");
        }

        if (CacheSize < 0)
        {
            problems.Add("CacheSize must not be negative.");
        }

        if (CacheDurationWithoutNextUpdate < TimeSpan.Zero)
        {
            problems.Add("CacheDurationWithoutNextUpdate must not be negative.");
        }

        if (FailureRetryInterval < TimeSpan.Zero)
        {
            problems.Add("FailureRetryInterval must not be negative.");
        }

        if (MaxCrlSize <= 0)
        {
            problems.Add("MaxCrlSize must be positive.");
        }

        if (MaxOcspResponseSize <= 0)
        {
            problems.Add("MaxOcspResponseSize must be positive.");
        }

        if (ClockSkew < TimeSpan.Zero)
        {
            problems.Add("ClockSkew must not be negative.");
        }

        return problems;
    }

    /// <summary>A copy, so a checker is not changed behind its back.</summary>
    internal RevocationCheckerOptions Copy() => (RevocationCheckerOptions)MemberwiseClone();
}
