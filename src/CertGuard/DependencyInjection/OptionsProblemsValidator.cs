using CertGuard.Monitoring;
using CertGuard.Policy;
using Microsoft.Extensions.Options;

namespace CertGuard.DependencyInjection;

/// <summary>Validates the policy thresholds at start, naming the configuration section.</summary>
internal sealed class CertificatePolicyOptionsValidator(string sectionPath) : IValidateOptions<CertificatePolicyOptions>
{
    private static readonly TimeSpan MaximumWindow = TimeSpan.FromDays(36500);

    public ValidateOptionsResult Validate(string? name, CertificatePolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => $"{sectionPath}:{p}"));
    }

    /// <summary>The policy's own problems, plus upper bounds: a window past a century would overflow date arithmetic.</summary>
    public static List<string> Problems(CertificatePolicyOptions options)
    {
        var problems = options.Validate().ToList();
        foreach (var (setting, value) in new[]
        {
            (nameof(options.DegradedBefore), options.DegradedBefore),
            (nameof(options.UnhealthyBefore), options.UnhealthyBefore),
            (nameof(options.MaximumValidity), options.MaximumValidity),
        })
        {
            if (value > MaximumWindow)
            {
                problems.Add($"{setting} must be at most {MaximumWindow.TotalDays:0} days (was {value}).");
            }
        }

        return problems;
    }
}

/// <summary>Validates the monitor's settings at start.</summary>
internal sealed class CertificateMonitorOptionsValidator : IValidateOptions<CertificateMonitorOptions>
{
    public ValidateOptionsResult Validate(string? name, CertificateMonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
