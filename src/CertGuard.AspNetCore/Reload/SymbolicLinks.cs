namespace CertGuard.AspNetCore.Reload;

/// <summary>
/// Follows symbolic links in every part of a path, as realpath does: Kubernetes mounts a secret's files as links
/// through a <c>..data</c> directory link, which is what an update swaps; the file link itself never changes.
/// </summary>
internal static class SymbolicLinks
{
    private const int MaxLinks = 40;

    /// <summary>The path with every link followed; the path itself (made absolute) when it cannot be followed.</summary>
    public static string Resolve(string path)
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
