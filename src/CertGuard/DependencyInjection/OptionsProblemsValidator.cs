using CertGuard.Monitoring;
using CertGuard.Policy;
using Microsoft.Extensions.Options;

namespace CertGuard.DependencyInjection;

/// <summary>Validates the policy thresholds at start, naming the configuration section.</summary>
internal sealed class CertificatePolicyOptionsValidator(string sectionPath) : IValidateOptions<CertificatePolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, CertificatePolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => $"{sectionPath}:{p}"));
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
