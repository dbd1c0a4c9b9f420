using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using CertGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace CertGuard.Analyzers.Tests;

/// <summary>
/// Scores every rule on the corpus in Corpus/*.cases: cases written from how real projects install validation
/// callbacks, relax chain policies and load certificates, with at least 40 safe look-alikes.
/// </summary>
public sealed class CorpusScoreTests(ITestOutputHelper output)
{
    private static readonly string _corpusDirectory = Path.Combine(
        typeof(CorpusScoreTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!,
        "tests", "CertGuard.Analyzers.Tests", "Corpus");

    [Fact]
    public async Task Corpus_has_enough_cases_and_safe_look_alikes()
    {
        var cases = await CorpusCases.LoadAsync(_corpusDirectory);

        Assert.True(cases.Count >= 150, $"only {cases.Count} cases");
        Assert.True(cases.Count(c => c.Expected is null) >= 40, "fewer than 40 safe look-alikes");
        Assert.Equal(cases.Count, cases.Select(c => c.File + "/" + c.Name).Distinct().Count());
    }

    [Fact]
    public async Task Every_rule_scores_recall_of_at_least_095_and_precision_of_at_least_097()
    {
        var cases = await CorpusCases.LoadAsync(_corpusDirectory);
        var results = await CorpusCases.AnalyzeAsync(cases);

        int truePositives = 0, falseNegatives = 0, falsePositives = 0;
        var report = new StringBuilder();
        foreach (var (@case, diagnostics) in results)
        {
            var warnings = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => d.Id).Distinct().ToList();
            if (@case.Expected is { } expected)
            {
                if (diagnostics.Any(d => d.Id == expected))
                {
                    truePositives++;
                }
                else
                {
                    falseNegatives++;
                    report.AppendLine($"MISSED {@case.File}/{@case.Name}: expected {expected}, got [{string.Join(", ", diagnostics.Select(d => d.Id))}]");
                }
            }
            else if (warnings.Count > 0)
            {
                falsePositives++;
                report.AppendLine($"FALSE  {@case.File}/{@case.Name}: {string.Join("; ", diagnostics.Select(d => d.Id + " " + d.GetMessage()))}");
            }
        }

        var recall = (double)truePositives / (truePositives + falseNegatives);
        var precision = (double)truePositives / (truePositives + falsePositives);
        output.WriteLine($"cases {cases.Count}, positives {truePositives + falseNegatives}, safe {cases.Count(c => c.Expected is null)}");
        output.WriteLine($"recall {recall:F3} ({truePositives}/{truePositives + falseNegatives}), precision {precision:F3} ({truePositives}/{truePositives + falsePositives})");
        output.WriteLine(report.ToString());

        Assert.True(recall >= 0.95 && precision >= 0.97, $"recall {recall:F3}, precision {precision:F3}\n{report}");
    }

    [Fact]
    public async Task Every_corpus_case_compiles()
    {
        var cases = await CorpusCases.LoadAsync(_corpusDirectory);
        var compilation = CorpusCases.Compile(cases);

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.SourceTree?.FilePath + ": " + d).ToList();

        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
    }
}
