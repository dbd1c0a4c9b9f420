using System.Reflection;
using System.Text.Json;
using CertGuard.Cli.Scanning;
using CertGuard.Loading;
using CertGuard.Policy;

namespace CertGuard.Cli.Reporting;

/// <summary>
/// SARIF 2.1.0: one result per finding and per load error, rule ids are finding ids. Files get a physical location
/// (a relative URI where the path is relative) so CI can annotate certificates committed to a repository;
/// stores and endpoints get a logical location.
/// </summary>
internal sealed class SarifReportWriter : IReportWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public bool IncludesErrors => true;

    public void Write(Inventory inventory, TextWriter output, ReportTerminal terminal)
    {
        var results = inventory.Certificates
            .SelectMany(c => c.Report.Findings.Select(f => (Rule: FindingRule.For(f.Id), f.Severity, f.Message, Location: Location(c.Report.Facts.Location, c.Report.Facts.Format is not (CertificateFormat.Store or CertificateFormat.TlsHandshake or CertificateFormat.Instance)), Entry: (InventoryEntry?)c)))
            .Concat(inventory.Errors.Select(e => (Rule: FindingRule.For(FindingIds.LoadError), Severity: FindingSeverity.Critical, Message: $"{e.Source}: {e.Reason}: {e.Message}", Location: Location(StripEntry(e.Source), e.IsFile), Entry: (InventoryEntry?)null)))
            .ToList();
        var rules = results.Select(r => r.Rule).DistinctBy(r => r.Id).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

        using var sink = new JsonTextSink(output);
        var json = sink.Json;
        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();
        WriteTool(json, rules);
        json.WriteStartArray("results");
        foreach (var result in results)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", result.Rule.Id);
            json.WriteNumber("ruleIndex", rules.FindIndex(r => r.Id == result.Rule.Id));
            json.WriteString("level", Level(result.Severity));
            json.WriteStartObject("message");
            json.WriteString("text", result.Entry is null ? result.Message : $"{ReportValues.Name(result.Entry.Report.Facts)}: {result.Message}");
            json.WriteEndObject();
            json.WriteStartArray("locations");
            result.Location(json);
            json.WriteEndArray();
            if (result.Entry is { } entry)
            {
                WriteProperties(json, entry);
            }

            json.WriteEndObject();
            sink.DrainIfLarge();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        sink.Complete();
    }

    private static void WriteTool(Utf8JsonWriter json, List<FindingRule> rules)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "certguard");
        json.WriteString("informationUri", "https://github.com/certguard/certguard");
        json.WriteString("semanticVersion", typeof(SarifReportWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("name", rule.Name);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", rule.Description);
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", Level(rule.DefaultSeverity));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteProperties(Utf8JsonWriter json, InventoryEntry entry)
    {
        var facts = entry.Report.Facts;
        json.WriteStartObject("properties");
        json.WriteString("source", entry.Source);
        json.WriteString("subject", facts.Subject);
        json.WriteString("thumbprintSha256", facts.ThumbprintSha256);
        json.WriteString("notAfter", ReportValues.Iso(facts.NotAfter));
        json.WriteNumber("daysRemaining", entry.Report.DaysRemaining);
        json.WriteString("status", entry.Status.ToString());
        if (entry.Owner is { } owner)
        {
            json.WriteString("owner", owner);
        }

        json.WriteEndObject();
    }

    private static string Level(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical => "error",
        FindingSeverity.Warning => "warning",
        _ => "note",
    };

    private static string StripEntry(string source)
    {
        var hash = source.LastIndexOf('#');
        return hash > 0 && !File.Exists(source) ? source[..hash] : source;
    }

    /// <summary>A location writer: physical for files, logical for stores and endpoints.</summary>
    private static Action<Utf8JsonWriter> Location(string location, bool isFile)
    {
        return json =>
        {
            json.WriteStartObject();
            if (isFile)
            {
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                json.WriteString("uri", FileUri(location));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            else
            {
                json.WriteStartArray("logicalLocations");
                json.WriteStartObject();
                json.WriteString("fullyQualifiedName", location);
                json.WriteString("kind", "resource");
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteEndObject();
        };
    }

    /// <summary>
    /// A relative path stays a relative URI reference (resolved against the repository root); an absolute one becomes
    /// file:///. Each segment is percent-encoded by hand: System.Uri unescapes <c>%41</c> in a path, so
    /// <c>a%41b.pem</c> would point at <c>aAb.pem</c>.
    /// </summary>
    public static string FileUri(string path)
    {
        if (Path.IsPathRooted(path))
        {
            var full = Path.GetFullPath(path).Replace('\\', '/');
            var absolute = full.Split('/').Select((segment, index) => index == 0 && IsDrive(segment) ? segment : Uri.EscapeDataString(segment));
            return (full.StartsWith('/') ? "file://" : "file:///") + string.Join('/', absolute);
        }

        var segments = path.Replace('\\', '/').Split('/').Where(s => s is not "." and not "").Select(Uri.EscapeDataString);
        return string.Join('/', segments);
    }

    private static bool IsDrive(string segment) => segment.Length == 2 && char.IsAsciiLetter(segment[0]) && segment[1] == ':';
}
