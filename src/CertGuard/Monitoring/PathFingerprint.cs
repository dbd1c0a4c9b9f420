namespace CertGuard.Monitoring;

/// <summary>
/// A cheap identity of what a path points at: the fully resolved target (every symbolic link along the way followed),
/// its length and its modification time. Comparing fingerprints catches the atomic symlink swaps of Kubernetes secret
/// volumes and certbot that file-system notifications miss.
/// </summary>
internal readonly record struct PathFingerprint(string? ResolvedPath, long Length, long LastWriteTicks)
{
    private const int MaxLinkHops = 40;

    /// <summary>The fingerprint of <paramref name="path"/>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="visited">Receives every path examined on the way, links and their targets included; none when null.</param>
    public static PathFingerprint Of(string path, ISet<string>? visited = null)
    {
        try
        {
            var resolved = Resolve(Path.GetFullPath(path), visited);
            if (resolved is null)
            {
                return default;
            }

            if (Directory.Exists(resolved))
            {
                return new PathFingerprint(resolved, -1, Directory.GetLastWriteTimeUtc(resolved).Ticks);
            }

            var file = new FileInfo(resolved);
            return file.Exists ? new PathFingerprint(resolved, file.Length, file.LastWriteTimeUtc.Ticks) : default;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return default;
        }
    }

    /// <summary>Follows every symbolic link in the path, directories included (Kubernetes links a <c>..data</c> directory).</summary>
    public static string? Resolve(string fullPath, ISet<string>? visited = null)
    {
        var hops = 0;
        var root = Path.GetPathRoot(fullPath) ?? string.Empty;
        var parts = fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            visited?.Add(next);
            var info = new FileInfo(next);
            var target = info.LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            // Restart from the link's target with the rest of the path appended.
            var resolvedLink = Path.GetFullPath(Path.Combine(current, target));
            var rest = string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]);
            var combined = rest.Length == 0 ? resolvedLink : Path.Combine(resolvedLink, rest);
            root = Path.GetPathRoot(combined) ?? string.Empty;
            parts = combined[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            current = root;
            i = -1;
        }

        return current;
    }
}
