using System.Reflection;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CertGuard.Analyzers.Tests;

/// <summary>
/// Every rule's help link is the project's repository at the release tag of this build, and names a page that exists
/// there; every rule is found by reflection, so a new rule is checked without touching this test.
/// </summary>
public sealed class HelpLinkTests
{
    private static readonly string _repositoryRoot = typeof(HelpLinkTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    public static TheoryData<string> RuleIds => new(Descriptors().Select(descriptor => descriptor.Id));

    [Fact]
    public void There_are_rules_to_check() => Assert.True(Descriptors().Count() >= 7);

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_help_link_is_the_rule_page_at_this_versions_tag_and_the_page_exists(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var props = XDocument.Load(Path.Combine(_repositoryRoot, "Directory.Build.props"));
        var repositoryUrl = props.Descendants("RepositoryUrl").Single().Value;
        var version = props.Descendants("Version").Single().Value;
        var prefix = $"{repositoryUrl}/blob/v{version}/";

        Assert.StartsWith(prefix, descriptor.HelpLinkUri, StringComparison.Ordinal);
        var relative = descriptor.HelpLinkUri[prefix.Length..];
        Assert.Equal($"docs/rules/{id}.md", relative);
        Assert.True(File.Exists(Path.Combine(_repositoryRoot, relative)), $"{descriptor.HelpLinkUri} names {relative}, which is not in the repository");
        Assert.True(Uri.TryCreate(descriptor.HelpLinkUri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps, descriptor.HelpLinkUri);
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            .SelectMany(type => ((DiagnosticAnalyzer)Activator.CreateInstance(type)!).SupportedDiagnostics)
            .DistinctBy(descriptor => descriptor.Id)
            .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal);
}
