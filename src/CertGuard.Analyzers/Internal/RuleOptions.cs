using System;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CertGuard.Analyzers.Internal;

/// <summary>Reads the rules' .editorconfig options (<c>dotnet_diagnostic.CGxxxx.name = value</c>).</summary>
internal static class RuleOptions
{
    public const string WarningDaysName = "warning_days";
    public const int DefaultWarningDays = 90;
    public const string AllowedPathPrefixesName = "allowed_path_prefixes";

    public static bool TryGetValue(AnalyzerOptions options, SyntaxTree tree, string ruleId, string name, out string value)
    {
        var key = "dotnet_diagnostic." + ruleId + "." + name;
        if (options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(key, out var found)
            || options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(key, out found))
        {
            value = found.Trim();
            return value.Length > 0;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>A non-negative whole number of days; an unreadable value falls back to the default rather than failing the build.</summary>
    public static int GetWarningDays(AnalyzerOptions options, SyntaxTree tree) =>
        TryGetValue(options, tree, RuleIdentifiers.EmbeddedCertificateExpiry, WarningDaysName, out var text)
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days)
        && days >= 0
            ? days
            : DefaultWarningDays;

    /// <summary>CG1008's window: <c>dotnet_diagnostic.CG1008.warning_days</c>, default 365 (a shipped file lives as long as a release).</summary>
    public static int GetShippedWarningDays(AnalyzerConfigOptions fileOptions, AnalyzerConfigOptions globalOptions) =>
        ((fileOptions.TryGetValue("dotnet_diagnostic." + RuleIdentifiers.ShippedCertificateExpiry + "." + WarningDaysName, out var text)
          || globalOptions.TryGetValue("dotnet_diagnostic." + RuleIdentifiers.ShippedCertificateExpiry + "." + WarningDaysName, out text))
         && int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var days)
         && days >= 0)
            ? days
            : DefaultShippedWarningDays;

    public const int DefaultShippedWarningDays = 365;

    /// <summary>Comma-separated path prefixes, compared ordinally (paths are case-sensitive on Linux).</summary>
    public static ImmutableArray<string> GetAllowedPathPrefixes(AnalyzerOptions options, SyntaxTree tree)
    {
        if (!TryGetValue(options, tree, RuleIdentifiers.HardCodedCertificatePath, AllowedPathPrefixesName, out var text))
        {
            return ImmutableArray<string>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var part in text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var prefix = part.Trim();
            if (prefix.Length > 0)
            {
                builder.Add(prefix);
            }
        }

        return builder.ToImmutable();
    }
}
