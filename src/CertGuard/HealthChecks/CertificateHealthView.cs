using System.Globalization;
using CertGuard.Monitoring;
using CertGuard.Policy;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CertGuard.HealthChecks;

/// <summary>
/// What one health check says about one snapshot, computed once per snapshot so that a poll is a lookup: status,
/// a one-line description naming the worst certificates, and data a person can act on (never a password or key).
/// </summary>
internal sealed class CertificateHealthView
{
    private const int NamedInDescription = 3;
    private readonly Task<HealthCheckResult>?[] _results = new Task<HealthCheckResult>?[3];

    private CertificateHealthView(CertificateStatus status, string description, IReadOnlyDictionary<string, object> data)
    {
        Status = status;
        Description = description;
        Data = data;
    }

    public CertificateStatus Status { get; }

    /// <summary>The description without its leading status, which depends on the registration's failure status.</summary>
    public string Description { get; }

    public IReadOnlyDictionary<string, object> Data { get; }

    /// <summary>The result for a registration whose failure status is <paramref name="failureStatus"/>, made once and reused.</summary>
    public Task<HealthCheckResult> ResultFor(HealthStatus failureStatus)
    {
        var slot = (int)failureStatus;
        if ((uint)slot >= (uint)_results.Length)
        {
            return Task.FromResult(Create(failureStatus));
        }

        return Volatile.Read(ref _results[slot]) ?? (_results[slot] = Task.FromResult(Create(failureStatus)));
    }

    private HealthCheckResult Create(HealthStatus failureStatus)
    {
        var status = Status switch
        {
            CertificateStatus.Healthy => HealthStatus.Healthy,
            CertificateStatus.Degraded => HealthStatus.Degraded,
            _ => failureStatus,
        };
        // The description opens with the status actually reported: with failureStatus Degraded it must not say "Unhealthy".
        var description = Status == CertificateStatus.Healthy ? Description : $"{status}: {Description}";
        return new HealthCheckResult(status, description, exception: null, Data);
    }

    public static CertificateHealthView Create(CertificateSnapshot snapshot, string checkName)
    {
        var sources = snapshot.SourcesOf(checkName);
        var rejected = snapshot.ConfigurationProblems.TryGetValue(checkName, out var problems) ? problems : [];
        var status = !snapshot.IsStarted
            ? CertificateStatus.Degraded
            : sources.Select(s => s.Status).Append(rejected.Count > 0 ? CertificateStatus.Degraded : CertificateStatus.Healthy).Max();
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["configurationErrors"] = rejected.ToList(),
            ["certificates"] = sources.SelectMany(s => s.Reports).Select(DescribeReport).ToList(),
            ["errors"] = sources.SelectMany(s => s.Errors.Select(e => DescribeError(s, e))).ToList(),
            ["sources"] = sources.Select(DescribeSource).ToList(),
            ["stale"] = sources.Any(s => s.IsStale),
        };
        return new CertificateHealthView(status, Describe(snapshot, sources, status, rejected), data);
    }

    private static string Describe(CertificateSnapshot snapshot, IReadOnlyList<SourceState> sources, CertificateStatus status, IReadOnlyList<string> rejected)
    {
        if (!snapshot.IsStarted)
        {
            return "Not yet checked: the certificate monitor has not started.";
        }

        var problems = new List<string>();
        if (rejected.Count > 0)
        {
            problems.Add($"a configuration change was rejected, the last valid configuration stays in force: {string.Join(" ", rejected)}");
        }

        if (sources.Count == 0 && problems.Count == 0)
        {
            return "No certificates are configured.";
        }

        var pending = sources.Where(s => !s.IsChecked).ToList();
        foreach (var source in sources.Where(s => s.IsChecked))
        {
            if (source.IsStale && source.Status == status)
            {
                problems.Add($"'{source.Source.Name}' could not be refreshed since {Iso(source.StaleSince)} ({source.StaleReason}); showing the result from {Iso(source.RefreshedAt)}");
            }

            if (!source.IsStale && source.Errors.FirstOrDefault(e => e.Status == status && status != CertificateStatus.Healthy) is { } error)
            {
                problems.Add($"'{source.Source.Name}' cannot be loaded: {error}");
            }

            foreach (var report in source.Reports.Where(r => r.Status == status && status != CertificateStatus.Healthy))
            {
                var finding = report.Findings.FirstOrDefault();
                problems.Add($"'{report.SourceName}' ({report.Facts.Subject}) {finding?.Id}: {finding?.Message}");
            }
        }

        if (pending.Count > 0 && status == CertificateStatus.Degraded)
        {
            problems.Add($"not yet checked: {string.Join(", ", pending.Take(NamedInDescription).Select(s => $"'{s.Source.Name}'"))}{More(pending.Count)}");
        }

        if (status == CertificateStatus.Healthy)
        {
            var next = sources.SelectMany(s => s.Reports).MinBy(r => r.Facts.NotAfter);
            var count = sources.Sum(s => s.Reports.Count);
            return next is null
                ? "No certificates found."
                : $"{count} certificate(s) healthy; the next to expire is '{next.SourceName}' ({next.Facts.Subject}) on {Iso(next.Facts.NotAfter)}, in {next.DaysRemaining} days.";
        }

        var shown = string.Join("; ", problems.Take(NamedInDescription));
        return $"{shown}{More(problems.Count)}";
    }

    private static string More(int count) => count > NamedInDescription ? $" (and {count - NamedInDescription} more)" : string.Empty;

    private static Dictionary<string, object?> DescribeReport(CertificateReport report) => new(StringComparer.Ordinal)
    {
        ["name"] = report.SourceName,
        ["owner"] = report.Owner,
        ["location"] = report.Facts.DisplayLocation,
        ["subject"] = report.Facts.Subject,
        ["issuer"] = report.Facts.Issuer,
        ["serialNumber"] = report.Facts.SerialNumber,
        ["thumbprint"] = report.Facts.ThumbprintSha256,
        ["notBefore"] = Iso(report.Facts.NotBefore),
        ["notAfter"] = Iso(report.Facts.NotAfter),
        ["daysRemaining"] = report.DaysRemaining,
        ["status"] = report.Status.ToString(),
        ["findings"] = report.Findings.Select(f => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = f.Id,
            ["severity"] = f.Severity.ToString(),
            ["message"] = f.Message,
        }).ToList(),
    };

    private static Dictionary<string, object?> DescribeError(SourceState source, Loading.LoadError error) => new(StringComparer.Ordinal)
    {
        ["name"] = source.Source.Name,
        ["location"] = error.Location,
        ["reason"] = error.Reason.ToString(),
        ["severity"] = error.Severity.ToString(),
        ["message"] = error.Message,
    };

    private static Dictionary<string, object?> DescribeSource(SourceState source) => new(StringComparer.Ordinal)
    {
        ["name"] = source.Source.Name,
        ["kind"] = source.Source.Kind,
        ["location"] = source.Source.Location,
        ["owner"] = source.Source.Owner,
        ["status"] = source.Status.ToString(),
        ["checked"] = source.IsChecked,
        ["refreshedAt"] = source.RefreshedAt is { } at ? Iso(at) : null,
        ["stale"] = source.IsStale,
        ["staleSince"] = source.StaleSince is { } since ? Iso(since) : null,
        ["staleReason"] = source.StaleReason,
    };

    private static string Iso(DateTimeOffset? moment) =>
        moment is { } m ? m.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never";
}
