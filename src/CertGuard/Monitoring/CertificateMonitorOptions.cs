namespace CertGuard.Monitoring;

/// <summary>How the <see cref="CertificateMonitor"/> refreshes its sources, and which sources it watches.</summary>
public sealed class CertificateMonitorOptions
{
    /// <summary>The longest <see cref="RefreshInterval"/> accepted: 7 days (timers cannot wait past 49.7 days, jitter included).</summary>
    public static readonly TimeSpan MaximumRefreshInterval = TimeSpan.FromDays(7);

    /// <summary>The longest timeout a source may have: 1 hour.</summary>
    public static readonly TimeSpan MaximumSourceTimeout = TimeSpan.FromHours(1);

    private static readonly TimeSpan MaximumWatchInterval = TimeSpan.FromDays(1);

    /// <summary>How often every source is refreshed. Default 5 minutes.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A random delay of up to this fraction of <see cref="RefreshInterval"/> added to each refresh, so a fleet does
    /// not hit the same endpoints at the same moment. Default 0.1.
    /// </summary>
    public double RefreshJitter { get; set; } = 0.1;

    /// <summary>How many remote sources (TLS endpoints) may be refreshing at once. Default 8.</summary>
    public int MaxConcurrentRemoteRefreshes { get; set; } = 8;

    /// <summary>
    /// How often watched files are compared with a cheap fingerprint (resolved path, length, modification time), the
    /// fallback for changes file-system notifications miss, such as symbolic link swaps. Default 2 seconds.
    /// </summary>
    public TimeSpan WatchPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait after a file change for the burst of changes to settle before refreshing. Default 250 ms.</summary>
    public TimeSpan WatchDebounce { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether to listen for file-system notifications on top of the fingerprint poll. Default true.</summary>
    public bool UseFileSystemNotifications { get; set; } = true;

    /// <summary>The sources to watch, each with the name of the health check that reports it.</summary>
    public IList<MonitoredSource> Sources { get; } = [];

    /// <summary>The problems with these options, one line each; empty when they are valid.</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (RefreshInterval <= TimeSpan.Zero || RefreshInterval > MaximumRefreshInterval)
        {
            problems.Add($"{nameof(RefreshInterval)} must be positive and at most {MaximumRefreshInterval.TotalDays:0} days (was {RefreshInterval}).");
        }

        if (RefreshJitter is < 0 or > 1 || double.IsNaN(RefreshJitter))
        {
            problems.Add($"{nameof(RefreshJitter)} must be between 0 and 1 (was {RefreshJitter}).");
        }

        if (MaxConcurrentRemoteRefreshes < 1)
        {
            problems.Add($"{nameof(MaxConcurrentRemoteRefreshes)} must be at least 1 (was {MaxConcurrentRemoteRefreshes}).");
        }

        if (WatchPollInterval <= TimeSpan.Zero || WatchPollInterval > MaximumWatchInterval)
        {
            problems.Add($"{nameof(WatchPollInterval)} must be positive and at most 1 day (was {WatchPollInterval}).");
        }

        if (WatchDebounce < TimeSpan.Zero || WatchDebounce > MaximumWatchInterval)
        {
            problems.Add($"{nameof(WatchDebounce)} must not be negative nor longer than 1 day (was {WatchDebounce}).");
        }

        foreach (var source in Sources.Select(s => s.Source).Where(s => s.Timeout <= TimeSpan.Zero || s.Timeout > MaximumSourceTimeout))
        {
            problems.Add($"The timeout of source '{source.Name}' must be positive and at most {MaximumSourceTimeout} (was {source.Timeout}).");
        }

        // Names are unique per health check: two registrations may each have a source called 'int'.
        foreach (var duplicate in Sources.GroupBy(s => (s.CheckName, s.Source.Name)).Where(g => g.Count() > 1))
        {
            problems.Add($"The source name '{duplicate.Key.Name}' is used {duplicate.Count()} times in health check '{duplicate.Key.CheckName}'; give each certificate a unique Name.");
        }

        return problems;
    }
}
