using CertGuard.Monitoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CertGuard.HealthChecks;

/// <summary>
/// Reports the certificates of one registration from the monitor's latest snapshot. A poll never opens a file or a
/// socket: it reads the snapshot and returns a result computed once per snapshot. <c>Degraded</c> in the warning window,
/// the registration's failure status (by default <c>Unhealthy</c>) only when a certificate cannot serve.
/// </summary>
public sealed class CertificateHealthCheck : IHealthCheck
{
    private const string ViewKind = "health";
    private static readonly Func<CertificateSnapshot, string, CertificateHealthView> CreateView = CertificateHealthView.Create;
    private readonly CertificateMonitor _monitor;
    private readonly string _checkName;

    /// <summary>Creates a health check.</summary>
    /// <param name="monitor">The monitor whose snapshot to read.</param>
    /// <param name="checkName">The registration name the sources were added under.</param>
    public CertificateHealthCheck(CertificateMonitor monitor, string checkName)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentException.ThrowIfNullOrWhiteSpace(checkName);
        _monitor = monitor;
        _checkName = checkName;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        var view = _monitor.Snapshot.GetView(ViewKind, _checkName, CreateView);
        return view.ResultFor(failureStatus);
    }
}
