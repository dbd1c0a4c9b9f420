using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CertGuard.Analyzers.Tests;

public sealed partial class RuleDocumentationTests
{
    private static readonly string _repositoryRoot = typeof(RuleDocumentationTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    public static TheoryData<string> RuleIds => new(Descriptors().Select(descriptor => descriptor.Id));

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            .SelectMany(type => ((DiagnosticAnalyzer)Activator.CreateInstance(type)!).SupportedDiagnostics)
            .DistinctBy(descriptor => descriptor.Id)
            .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal);

    [Fact]
    public void Every_rule_from_CG1001_to_CG1008_has_an_analyzer() =>
        Assert.Equal(Enumerable.Range(1001, 8).Select(n => "CG" + n), Descriptors().Select(descriptor => descriptor.Id));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_a_documentation_page_that_its_help_link_points_to(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var page = Path.Combine(_repositoryRoot, "docs", "rules", id + ".md");

        Assert.True(File.Exists(page), $"{page} is missing");
        Assert.Equal(RuleIdentifiers.GetHelpUri(id), descriptor.HelpLinkUri);

        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: {descriptor.Title}", text, StringComparison.Ordinal);
        foreach (var section in new[] { "## Why it matters", "## Non-compliant code", "## Compliant code", "## Options", "## How to suppress" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_is_enabled_as_a_warning_and_tracked_in_the_release_file(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var unshipped = File.ReadAllText(Path.Combine(_repositoryRoot, "src", "CertGuard.Analyzers", "AnalyzerReleases.Unshipped.md"));

        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Equal(DiagnosticSeverity.Warning, descriptor.DefaultSeverity);
        Assert.Matches(new Regex($"^{id} \\| {descriptor.Category} \\| Warning \\|", RegexOptions.Multiline), unshipped);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Documented_options_are_the_ones_the_analyzer_reads(string id)
    {
        var text = File.ReadAllText(Path.Combine(_repositoryRoot, "docs", "rules", id + ".md"));
        // "severity" is Roslyn's own option, documented for suppression on every page.
        var documented = OptionKey().Matches(text).Select(match => match.Groups["name"].Value).Where(name => name != "severity").Distinct().Order().ToArray();
        string[] expected = id switch
        {
            "CG1001" => [Internal.RuleOptions.AllowedPathPrefixesName],
            "CG1007" or "CG1008" => [Internal.RuleOptions.WarningDaysName],
            _ => [],
        };

        Assert.Equal(expected, documented);
    }

    [Fact]
    public void Every_page_in_docs_rules_belongs_to_a_rule()
    {
        var pages = Directory.EnumerateFiles(Path.Combine(_repositoryRoot, "docs", "rules"), "*.md").Select(Path.GetFileNameWithoutExtension).Order();
        Assert.Equal(Descriptors().Select(descriptor => descriptor.Id), pages);
    }

    [GeneratedRegex(@"dotnet_diagnostic\.CG\d{4}\.(?<name>[a-z_]+)\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex OptionKey();
}
