namespace CertGuard.AspNetCore.Reload;

/// <summary>
/// Follows symbolic links in every part of a path, as realpath does: Kubernetes mounts a secret's files as links
/// through a <c>..data</c> directory link, which is what an update swaps; the file link itself never changes.
/// </summary>
internal static class SymbolicLinks
{
    private const int MaxLinks = 40;

    /// <summary>The path with every link followed; the path itself (made absolute) when it cannot be followed.</summary>
    public static string Resolve(string path) => Follow(path, links: null);

    /// <summary>Every symbolic link met while following the path, in order (absolute paths of the links themselves).</summary>
    public static IReadOnlyList<string> LinksOnPath(string path)
    {
        var links = new List<string>();
        Follow(path, links);
        return links;
    }

    /// <summary>
    /// The latest change of anything the path depends on: the resolved file's write time, and each link's own time
    /// (an atomic swap creates a new link, so its time is the moment of the swap). Null when the file does not exist.
    /// </summary>
    public static DateTime? LatestChangeUtc(string path)
    {
        var links = new List<string>();
        var resolved = Follow(path, links);
        try
        {
            var target = new FileInfo(resolved);
            if (!target.Exists)
            {
                return null;
            }

            var latest = target.LastWriteTimeUtc;
            foreach (var link in links)
            {
                // FileInfo on a link reports the link's own times (lstat), not its target's.
                var own = new FileInfo(link).LastWriteTimeUtc;
                latest = own > latest ? own : latest;
            }

            return latest;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Follow(string path, List<string>? links)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var root = Path.GetPathRoot(full) ?? string.Empty;
            var pending = new Stack<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
            var current = root;
            var followed = 0;
            while (pending.Count > 0)
            {
                var candidate = Path.Combine(current, pending.Pop());
                var target = new FileInfo(candidate).LinkTarget;
                if (target is null)
                {
                    current = candidate;
                    continue;
                }

                if (++followed > MaxLinks)
                {
                    return full;
                }

                links?.Add(candidate);

                // Continue from the link's target: its own parts may be links too.
                var absolute = Path.GetFullPath(target, current);
                var targetRoot = Path.GetPathRoot(absolute) ?? string.Empty;
                foreach (var part in absolute[targetRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(part);
                }

                current = targetRoot;
            }

            return current;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return full;
        }
    }
}
