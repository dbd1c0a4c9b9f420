using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace CertGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs one analyzer over C# source with <c>[|...|]</c> markup for the expected diagnostics (none when the
/// source has no markup), against the local SDK's reference assemblies.
/// </summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAsync(string source, params string[] editorConfigLines) =>
        VerifyAsync(source, Array.Empty<DiagnosticResult>(), editorConfigLines);

    public static Task VerifyAsync(string source, DiagnosticResult[] expected, params string[] editorConfigLines)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        if (editorConfigLines.Length > 0)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + string.Join("\n", editorConfigLines) + "\n"));
        }

        return test.RunAsync();
    }

    /// <summary>A diagnostic of the analyzer's single rule, for tests that also check the message.</summary>
    public static DiagnosticResult Diagnostic() => new DiagnosticResult(new TAnalyzer().SupportedDiagnostics.Single());

    private sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(LocalReferenceAssemblies.All);
        }

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);
    }
}
