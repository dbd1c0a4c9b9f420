using System.Globalization;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Monitoring;
using Microsoft.Extensions.Options;

namespace CertGuard.DependencyInjection;

/// <summary>
/// Checks the <c>CertGuard</c> section at start and names the setting that is wrong, by its configuration path.
/// Never repeats a password.
/// </summary>
internal sealed class CertGuardOptionsValidator(string registrationName, string settingsPath) : IValidateOptions<CertGuardOptions>
{
    public ValidateOptionsResult Validate(string? name, CertGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(name ?? Options.DefaultName, registrationName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem with <paramref name="options"/>, each naming its setting by path; empty when they are valid.</summary>
    public List<string> Problems(CertGuardOptions options)
    {
        var sectionPath = settingsPath;
        var problems = new List<string>(options.ReadProblems);
        if (options.RefreshInterval is { } interval && (interval <= TimeSpan.Zero || interval > CertificateMonitorOptions.MaximumRefreshInterval))
        {
            problems.Add($"{sectionPath}:RefreshInterval must be positive and at most {CertificateMonitorOptions.MaximumRefreshInterval.TotalDays:0} days (was {interval}).");
        }

        problems.AddRange(CertificatePolicyOptionsValidator.Problems(options.Policy).Select(p => $"{sectionPath}:{p}"));
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Certificates.Count; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{sectionPath}:Certificates:{i}");
            var item = options.Certificates[i];
            if (item is null)
            {
                problems.Add($"{prefix} is empty; give one of Path, Directory, Endpoint or StoreName.");
                continue;
            }

            ValidateItem(prefix, item, problems);
            var itemName = ConfiguredSources.NameOf(item);
            if (itemName is not null)
            {
                if (names.TryGetValue(itemName, out var first))
                {
                    problems.Add($"{prefix} is named '{itemName}', like {sectionPath}:Certificates:{first}; give each certificate a unique Name.");
                }
                else
                {
                    names.Add(itemName, i);
                }
            }
        }

        return problems;
    }

    private static void ValidateItem(string prefix, CertificateSourceOptions item, List<string> problems)
    {
        var kinds = new List<string>(4);
        AddIf(kinds, item.Path, nameof(item.Path));
        AddIf(kinds, item.Directory, nameof(item.Directory));
        AddIf(kinds, item.Endpoint, nameof(item.Endpoint));
        AddIf(kinds, item.StoreName, nameof(item.StoreName));
        if (kinds.Count == 0)
        {
            problems.Add($"{prefix} names no certificate; give one of Path, Directory, Endpoint or StoreName.");
        }
        else if (kinds.Count > 1)
        {
            var both = kinds.Count == 2 ? $"both {kinds[0]} and {kinds[1]}" : $"{string.Join(", ", kinds.SkipLast(1))} and {kinds[^1]}";
            problems.Add($"{prefix} has {both}; give exactly one.");
        }

        var kind = kinds.Count == 1 ? kinds[0] : null;
        RequireKind(prefix, item.KeyPath, nameof(item.KeyPath), kind, problems, nameof(item.Path));
        RequireKind(prefix, item.ServerName, nameof(item.ServerName), kind, problems, nameof(item.Endpoint));
        RequireKind(prefix, item.Thumbprint, nameof(item.Thumbprint), kind, problems, nameof(item.StoreName));
        RequireKind(prefix, item.Subject, nameof(item.Subject), kind, problems, nameof(item.StoreName));
        RequireKind(prefix, item.Password, nameof(item.Password), kind, problems, nameof(item.Path), nameof(item.Directory));
        RequireKind(prefix, item.PasswordEnvironmentVariable, nameof(item.PasswordEnvironmentVariable), kind, problems, nameof(item.Path), nameof(item.Directory));
        if (item.Include.Count > 0 || item.Exclude.Count > 0)
        {
            RequireKind(prefix, "patterns", "Include/Exclude", kind, problems, nameof(item.Directory));
        }

        if (!string.IsNullOrEmpty(item.Password) && !string.IsNullOrEmpty(item.PasswordEnvironmentVariable))
        {
            problems.Add($"{prefix} has both Password and PasswordEnvironmentVariable; give one.");
        }
        else if (!string.IsNullOrEmpty(item.PasswordEnvironmentVariable) && Environment.GetEnvironmentVariable(item.PasswordEnvironmentVariable) is null)
        {
            // A password put here by mistake must not be echoed: repeat only what looks like a variable name.
            problems.Add(IsConventionalVariableName(item.PasswordEnvironmentVariable)
                ? $"{prefix}:PasswordEnvironmentVariable names '{item.PasswordEnvironmentVariable}', which is not set."
                : $"{prefix}:PasswordEnvironmentVariable names a variable that is not set (not repeated here: it is not an upper-case variable name, so it may be a password given by mistake).");
        }

        if (kind == nameof(item.Endpoint) && ConfiguredSources.EndpointProblem(item.Endpoint!, string.IsNullOrWhiteSpace(item.ServerName) ? null : item.ServerName) is { } endpointProblem)
        {
            problems.Add($"{prefix}:Endpoint '{item.Endpoint}' cannot be used: {endpointProblem}.");
        }

        if (item.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            problems.Add($"{prefix}:Timeout must be positive (was {timeout}).");
        }
        else if (item.Timeout > CertificateMonitorOptions.MaximumSourceTimeout)
        {
            problems.Add($"{prefix}:Timeout must be at most {CertificateMonitorOptions.MaximumSourceTimeout} (was {item.Timeout}).");
        }

        ValidateTrust(prefix, item, problems);
    }

    /// <summary>Upper-case letters, digits and underscores: how environment variables are named, and unlike most passwords.</summary>
    private static bool IsConventionalVariableName(string name) =>
        name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');

    private static void ValidateTrust(string prefix, CertificateSourceOptions item, List<string> problems)
    {
        var hasRoots = !string.IsNullOrWhiteSpace(item.TrustedRootsPath);
        if (item.Trust == ChainTrustMode.Custom && !hasRoots)
        {
            problems.Add($"{prefix}:Trust is Custom but TrustedRootsPath is not set; give the file of roots to trust.");
        }
        else if (hasRoots && item.Trust != ChainTrustMode.Custom)
        {
            problems.Add($"{prefix}:TrustedRootsPath is set but Trust is {(item.Trust?.ToString() ?? "not set")}; set Trust to Custom.");
        }
        else if (hasRoots)
        {
            using var roots = CertificateLoader.LoadFile(item.TrustedRootsPath!);
            if (roots.Certificates.Count == 0)
            {
                var why = roots.Errors.Count > 0 ? roots.Errors[0].ToString() : "it holds no certificate";
                problems.Add($"{prefix}:TrustedRootsPath cannot be used: {why}.");
            }
        }
    }

    private static void AddIf(List<string> kinds, string? value, string name)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            kinds.Add(name);
        }
    }

    private static void RequireKind(string prefix, string? value, string setting, string? kind, List<string> problems, params string[] allowed)
    {
        if (string.IsNullOrEmpty(value) || kind is null || allowed.Contains(kind))
        {
            return;
        }

        problems.Add($"{prefix}:{setting} applies only with {string.Join(" or ", allowed)}, not with {kind}.");
    }
}
