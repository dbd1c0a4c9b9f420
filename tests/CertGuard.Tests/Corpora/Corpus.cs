using System.Globalization;

namespace CertGuard.Tests.Corpora;

/// <summary>
/// The shared corpora of real-world and malformed certificates, read where they lie (never copied into the repository):
/// <c>../shared/corpora</c> beside the checkout, or the directory named by <c>CERTGUARD_CORPORA</c>.
/// </summary>
internal static class Corpus
{
    public static readonly string? Root = Find();

    public static string PathOf(string folder, string file) => Path.Combine(Root!, folder, file);

    /// <summary>Reads a TSV file of the corpus into rows keyed by column name.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Table(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(Root!, name));
        var header = lines[0].Split('\t');
        return lines.Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(cells => (IReadOnlyDictionary<string, string>)header
                .Select((column, i) => (column, value: i < cells.Length ? cells[i] : string.Empty))
                .ToDictionary(p => p.column, p => p.value))
            .ToList();
    }

    /// <summary>openssl's rendering of a date (year unpadded, as in "   1-01-01"), or null where openssl said "Bad time value".</summary>
    public static DateTimeOffset? ParseOpenSslDate(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^\s*(\d+)-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?Z$");
        if (!match.Success)
        {
            return null;
        }

        int Part(int i) => int.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture);
        var moment = new DateTimeOffset(Part(1), Part(2), Part(3), Part(4), Part(5), Part(6), TimeSpan.Zero);
        return match.Groups[7].Success
            ? moment.AddTicks((long)(double.Parse("0" + match.Groups[7].Value, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond))
            : moment;
    }

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("CERTGUARD_CORPORA");
        if (!string.IsNullOrEmpty(configured) && Directory.Exists(configured))
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "corpora");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
