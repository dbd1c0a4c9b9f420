namespace CertGuard.Analyzers;

/// <summary>Diagnostic categories, as listed in AnalyzerReleases.*.md.</summary>
internal static class RuleCategories
{
    public const string Security = "Security";
    public const string Reliability = "Reliability";
}
