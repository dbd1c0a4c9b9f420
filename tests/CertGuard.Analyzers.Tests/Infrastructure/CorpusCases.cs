using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CertGuard.Analyzers.Tests.Infrastructure;

/// <summary>Reads the corpus files and runs every CertGuard analyzer over all cases in one compilation.</summary>
internal static class CorpusCases
{
    private const string Header = "//# ";

    public static async Task<IReadOnlyList<CorpusCase>> LoadAsync(string directory)
    {
        var certificate = TestCertificates.Create("Corpus Root", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var pem = certificate.ExportCertificatePem();
        var replacements = new Dictionary<string, string>
        {
            ["{{PEM}}"] = pem,
            ["{{PEM_JSON}}"] = pem.Replace("\n", "\\\\n", StringComparison.Ordinal),
            ["{{PEM_LINES}}"] = string.Join(", ", pem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "\"" + line + "\"")),
            ["{{DER_BASE64}}"] = Convert.ToBase64String(certificate.RawData),
            ["{{DER_BYTES}}"] = string.Join(", ", certificate.RawData.Select(b => "0x" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))),
        };

        var cases = new List<CorpusCase>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.cases").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileNameWithoutExtension(path);
            string? expected = null, name = null;
            var source = new StringBuilder();
            foreach (var line in await File.ReadAllLinesAsync(path))
            {
                if (line.StartsWith(Header, StringComparison.Ordinal))
                {
                    Add();
                    var parts = line[Header.Length..].Split(' ', 2);
                    expected = parts[0] == "safe" ? null : parts[0];
                    name = parts[1].Trim();
                    source.Clear();
                }
                else
                {
                    source.AppendLine(line);
                }
            }

            Add();

            void Add()
            {
                if (name is null)
                {
                    return;
                }

                var text = source.ToString();
                foreach (var (placeholder, value) in replacements)
                {
                    text = text.Replace(placeholder, value, StringComparison.Ordinal);
                }

                cases.Add(new CorpusCase(file, name, expected, text));
            }
        }

        return cases;
    }

    /// <summary>All cases in one compilation, each in its own file and namespace, so names never collide.</summary>
    public static CSharpCompilation Compile(IReadOnlyList<CorpusCase> cases)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var preamble = File.ReadAllText(Path.Combine(Path.GetDirectoryName(typeof(CorpusCases).Assembly.Location)!, "Corpus", "Preamble.cs.txt"));
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(preamble, options, "Preamble.cs") };
        for (var i = 0; i < cases.Count; i++)
        {
            var usings = string.Concat(cases[i].Source.Split('\n').TakeWhile(line => line.StartsWith("using ", StringComparison.Ordinal)).Select(line => line + "\n"));
            var body = cases[i].Source[usings.Length..];
            trees.Add(CSharpSyntaxTree.ParseText($"#nullable enable\n{usings}namespace Case{i:D3};\n{body}", options, $"{cases[i].File}/{cases[i].Name}.cs"));
        }

        return CSharpCompilation.Create(
            "Corpus",
            trees,
            LocalReferenceAssemblies.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static async Task<IReadOnlyList<(CorpusCase Case, ImmutableArray<Diagnostic> Diagnostics)>> AnalyzeAsync(IReadOnlyList<CorpusCase> cases)
    {
        var compilation = Compile(cases);
        var analyzers = typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .ToImmutableArray();
        var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        var byFile = diagnostics.ToLookup(d => d.Location.SourceTree?.FilePath);
        return cases.Select(c => (c, byFile[$"{c.File}/{c.Name}.cs"].ToImmutableArray())).ToList();
    }
}
