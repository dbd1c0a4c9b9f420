using CertGuard.Monitoring;
using CertGuard.Policy;
using CertGuard.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.Tests.TestSupport;

internal static class MonitorFactory
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static CertificateMonitor Create(TimeProvider clock, IEnumerable<CertificateSource> sources, Action<CertificateMonitorOptions>? configure = null, ILogger<CertificateMonitor>? logger = null, CertificatePolicyOptions? policy = null)
    {
        var options = new CertificateMonitorOptions
        {
            RefreshInterval = TimeSpan.FromHours(1),
            RefreshJitter = 0,
            WatchPollInterval = TimeSpan.FromHours(1),
            WatchDebounce = TimeSpan.FromMilliseconds(20),
        };
        foreach (var source in sources)
        {
            options.Sources.Add(new MonitoredSource(source, source.Name));
        }

        configure?.Invoke(options);
        return new CertificateMonitor(Options.Create(options), Options.Create(policy ?? new CertificatePolicyOptions()), clock, logger);
    }

    public static FakeTimeProvider Clock() => new(Start);
}
