using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace CertGuard.Cli.Owners;

/// <summary>
/// Who owns what: a small JSON or YAML map from path globs and host patterns to owner names, read in file order;
/// the first pattern that matches a source names its owner.
/// </summary>
/// <example>
/// <code>
/// certs/payments/**: payments-team
/// "*.example.com": web-team
/// store:LocalMachine/*: platform
/// </code>
/// </example>
internal sealed class OwnerMap
{
    private readonly IReadOnlyList<OwnerPattern> _patterns;

    private OwnerMap(IReadOnlyList<OwnerPattern> patterns)
    {
        _patterns = patterns;
    }

    // An owners map is a few hundred lines; the cap keeps /dev/zero-sized input out of the parsers.
    private const int MaxBytes = 1024 * 1024;

    // The map is flat (depth 1); a little room for a wrong but harmless shape, and a bound far below what overflows
    // the stack of YamlDotNet's recursive node builder.
    private const int MaxYamlDepth = 16;

    public static OwnerMap Empty { get; } = new([]);

    public int Count => _patterns.Count;

    public static OwnerMap Load(string path)
    {
        var text = OptionFile.ReadText("--owners", path, MaxBytes);

        var isJson = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith('{');
        try
        {
            return new OwnerMap(isJson ? ReadJson(text) : ReadYaml(text));
        }
        catch (Exception ex) when (ex is JsonException or YamlException or InvalidDataException)
        {
            throw new UsageException($"--owners '{path}' is not a map from patterns to owner names ({FirstLine(ex.Message)}).");
        }
    }

    /// <summary>The owner of a source, or null when no pattern matches.</summary>
    public string? Find(string location) => _patterns.FirstOrDefault(p => p.Matches(location))?.Owner;

    private static List<OwnerPattern> ReadJson(string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("the top level must be an object");
        }

        return document.RootElement.EnumerateObject()
            .Select(p => p.Value.ValueKind == JsonValueKind.String
                ? new OwnerPattern(p.Name, p.Value.GetString()!)
                : throw new InvalidDataException($"the owner of '{p.Name}' must be a string"))
            .ToList();
    }

    private static List<OwnerPattern> ReadYaml(string text)
    {
        EnsureShallow(text);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0)
        {
            return [];
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new InvalidDataException("the top level must be a mapping");
        }

        return mapping.Children
            .Select(pair => pair is { Key: YamlScalarNode { Value: { } pattern }, Value: YamlScalarNode { Value: { } owner } }
                ? new OwnerPattern(pattern, owner)
                : throw new InvalidDataException($"every entry must map a pattern to an owner name (at line {pair.Key.Start.Line})"))
            .ToList();
    }

    /// <summary>Walks the parser's events (no recursion) and refuses nesting deeper than <see cref="MaxYamlDepth"/>.</summary>
    private static void EnsureShallow(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart when ++depth > MaxYamlDepth:
                    throw new InvalidDataException($"nested deeper than {MaxYamlDepth} levels at line {parser.Current.Start.Line}");
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
