using System.Text;
using System.Text.RegularExpressions;

namespace CertGuard.Cli.Owners;

/// <summary>
/// One key of the owners map: a path glob (<c>certs/payments/**</c>, <c>*.pfx</c>) or a host pattern
/// (<c>*.example.com</c>, <c>api.example.com:443</c>, <c>store:CurrentUser/*</c>). <c>**</c> crosses directories,
/// <c>*</c> and <c>?</c> do not; a pattern without a slash also matches a file name in any directory.
/// </summary>
internal sealed class OwnerPattern
{
    private readonly Regex _regex;
    private readonly bool _matchesFileName;

    public OwnerPattern(string pattern, string owner)
    {
        Pattern = pattern;
        Owner = owner;
        var normalized = Normalize(pattern);
        _matchesFileName = !normalized.Contains('/');
        _regex = new Regex(ToRegex(normalized), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public string Pattern { get; }

    public string Owner { get; }

    /// <summary>Whether a source location (a path, <c>host:port</c> or store) matches.</summary>
    public bool Matches(string location)
    {
        var normalized = Normalize(location);
        if (_regex.IsMatch(normalized))
        {
            return true;
        }

        // Endpoints: a host pattern matches every port of the host.
        var host = HostOf(normalized);
        if (host is not null && _regex.IsMatch(host))
        {
            return true;
        }

        return _matchesFileName && _regex.IsMatch(Path.GetFileName(normalized));
    }

    private static string Normalize(string text)
    {
        var normalized = text.Replace('\\', '/');
        if (normalized.StartsWith("tls://", StringComparison.OrdinalIgnoreCase))
        {
            normalized = normalized["tls://".Length..];
        }

        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        return normalized;
    }

    private static string? HostOf(string location)
    {
        var colon = location.LastIndexOf(':');
        if (colon <= 0 || location.Contains('/') || !int.TryParse(location.AsSpan(colon + 1), out _))
        {
            return null;
        }

        return location[..colon].Trim('[', ']');
    }

    private static string ToRegex(string glob)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" also matches no directory at all.
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.Append('$').ToString();
    }
}
