using System.Text;
using CertGuard.Loading;
using Microsoft.Extensions.FileSystemGlobbing;

namespace CertGuard.Sources;

/// <summary>
/// Lists the files under a directory that a set of glob patterns select, safely on hostile trees: each directory is
/// visited once (by device and inode), so symbolic-link loops end; each file is listed once however many names it
/// has, under its link name when it has one (the stable name certbot and Kubernetes maintain); Kubernetes' <c>..</c>
/// entries (<c>..data</c>, <c>..2026_12_06_...</c>) are skipped, since the names beside them already lead there; a
/// subdirectory that cannot be listed is an error naming it while the rest is walked; a name that is not UTF-8 is
/// kept by its bytes, so its file can still be opened.
/// </summary>
internal static class DirectoryWalker
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Walks <paramref name="root"/>.</summary>
    /// <param name="root">The directory, as the user wrote it; reported paths start with it.</param>
    /// <param name="matcher">Selects files by their path relative to <paramref name="root"/>.</param>
    /// <param name="cancellationToken">Cancels the walk between directories.</param>
    /// <returns>The files in ordinal order of their paths, and what could not be listed.</returns>
    public static (List<WalkedFile> Files, List<LoadError> Errors) Walk(string root, Matcher matcher, CancellationToken cancellationToken)
    {
        var errors = new List<LoadError>();
        var candidates = new List<(string Relative, DirectoryEntry Entry)>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var rootEntry = Examine(root, UnixFileSystem.IsSupported ? UnixFileSystem.NativePath(root) : null, nativeNeeded: false);
        if (rootEntry.Identity is { } rootIdentity)
        {
            visited.Add(rootIdentity);
        }

        var pending = new Stack<(DirectoryEntry Directory, string Relative)>();
        pending.Push((rootEntry, string.Empty));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (directory, relative) = pending.Pop();
            var entries = List(directory, out var problem);
            if (problem is not null)
            {
                errors.Add(problem);
                continue;
            }

            var subdirectories = new List<(DirectoryEntry, string)>();
            foreach (var entry in entries)
            {
                var name = Path.GetFileName(entry.Path);
                var entryRelative = relative.Length == 0 ? name : $"{relative}/{name}";
                if (entry.Problem is not null)
                {
                    errors.Add(entry.Problem);
                }
                else if (!entry.IsDirectory)
                {
                    candidates.Add((entryRelative, entry));
                }
                else if (entry.Identity is null || visited.Add(entry.Identity))
                {
                    subdirectories.Add((entry, entryRelative));
                }
            }

            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }

        return (Select(candidates, matcher), errors);
    }

    /// <summary>The candidates the patterns select, each real file once, preferring a link's name and then the first in ordinal order.</summary>
    private static List<WalkedFile> Select(List<(string Relative, DirectoryEntry Entry)> candidates, Matcher matcher)
    {
        const string Root = "/certguard-walk";
        var byRelative = candidates.ToDictionary(c => c.Relative, c => c.Entry, StringComparer.Ordinal);
        var matched = matcher.Match(Root, candidates.Select(c => $"{Root}/{c.Relative}")).Files
            .Select(f => byRelative.TryGetValue(f.Path, out var entry) ? entry : null)
            .OfType<DirectoryEntry>()
            .OrderBy(e => e.IsLink ? 0 : 1)
            .ThenBy(e => e.Path, StringComparer.Ordinal);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return matched.Where(e => e.Identity is null || seen.Add(e.Identity))
            .Select(e => new WalkedFile(e.Path, e.NativePath))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
    }

    private static List<DirectoryEntry> List(DirectoryEntry directory, out LoadError? problem)
    {
        problem = null;
        if (UnixFileSystem.IsSupported)
        {
            var native = directory.NativePath ?? UnixFileSystem.NativePath(directory.Path);
            var names = UnixFileSystem.ListDirectory(native, out var error);
            if (names is null)
            {
                problem = ListingFailure(directory.Path, error);
                return [];
            }

            names.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
            return names.Where(n => !IsKubeletEntry(n)).Select(n => Child(directory, native, n)).ToList();
        }

        try
        {
            return new DirectoryInfo(directory.Path).EnumerateFileSystemInfos()
                .Where(i => !i.Name.StartsWith("..", StringComparison.Ordinal))
                .OrderBy(i => i.Name, StringComparer.Ordinal)
                .Select(i => Examine(Path.Join(directory.Path, i.Name), null, nativeNeeded: false))
                .ToList();
        }
        catch (UnauthorizedAccessException)
        {
            problem = new LoadError(directory.Path, LoadErrorReason.AccessDenied, "directory cannot be listed: access is denied");
        }
        catch (PathTooLongException)
        {
            problem = new LoadError(directory.Path, LoadErrorReason.PathTooLong, "directory is deeper than the system's path limit; nothing under it was read");
        }
        catch (IOException ex)
        {
            problem = new LoadError(directory.Path, LoadErrorReason.ReadFailed, $"directory cannot be listed ({ex.Message.TrimEnd('.')})");
        }

        return [];
    }

    private static bool IsKubeletEntry(byte[] name) => name.Length > 2 && name[0] == '.' && name[1] == '.';

    private static DirectoryEntry Child(DirectoryEntry parent, byte[] parentNative, byte[] name)
    {
        // parentNative ends with NUL: parent + '/' + name + NUL.
        var native = new byte[parentNative.Length + name.Length + 1];
        parentNative.AsSpan(0, parentNative.Length - 1).CopyTo(native);
        native[parentNative.Length - 1] = (byte)'/';
        name.CopyTo(native, parentNative.Length);
        var (display, exact) = DisplayName(name);
        return Examine(Path.Join(parent.Path, display), native, nativeNeeded: !exact || parent.NativePath is not null);
    }

    /// <summary>The name as text; bytes that are not UTF-8 are shown as <c>\xNN</c>, so the name is visible and unambiguous.</summary>
    private static (string Display, bool Exact) DisplayName(byte[] name)
    {
        try
        {
            return (StrictUtf8.GetString(name), true);
        }
        catch (DecoderFallbackException)
        {
            var text = new StringBuilder();
            var decoder = new UTF8Encoding(false, false);
            var start = 0;
            for (var i = 0; i <= name.Length; i++)
            {
                if (i < name.Length && name[i] < 0x80)
                {
                    continue;
                }

                text.Append(decoder.GetString(name, start, i - start));
                if (i == name.Length)
                {
                    break;
                }

                var length = Utf8SequenceLength(name, i);
                if (length > 0)
                {
                    text.Append(decoder.GetString(name, i, length));
                    i += length - 1;
                }
                else
                {
                    text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{name[i]:x2}");
                }

                start = i + 1;
            }

            return (text.ToString(), false);
        }
    }

    private static int Utf8SequenceLength(byte[] bytes, int at)
    {
        for (var length = 2; length <= 4 && at + length <= bytes.Length; length++)
        {
            try
            {
                StrictUtf8.GetString(bytes, at, length);
                return length;
            }
            catch (DecoderFallbackException)
            {
            }
        }

        return 0;
    }

    /// <summary>What kind of entry a path is and its identity; a path the kernel refuses is an entry with a problem.</summary>
    private static DirectoryEntry Examine(string path, byte[]? native, bool nativeNeeded)
    {
        var exactNative = nativeNeeded ? native : null;
        if (!UnixFileSystem.IsSupported || native is null)
        {
            var info = new FileInfo(path);
            var isLink = info.LinkTarget is not null;
            var resolved = isLink ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName : info.FullName;
            return new DirectoryEntry(path, null, Directory.Exists(path), resolved, isLink, null);
        }

        var own = UnixFileSystem.StatusOf(native, followLinks: false, out var error);
        if (own is null)
        {
            return new DirectoryEntry(path, exactNative, false, null, false, error == UnixFileSystem.NameTooLong ? TooDeep(path) : null);
        }

        var isSymbolicLink = own.Value.Kind == FileKind.SymbolicLink;
        var target = isSymbolicLink ? UnixFileSystem.StatusOf(native, followLinks: true, out error) : own;
        if (target is null)
        {
            // A dangling link or a link loop: listed as a file, so loading it reports why.
            return new DirectoryEntry(path, exactNative, false, null, isSymbolicLink, null);
        }

        var identity = $"{target.Value.Device}:{target.Value.Inode}";
        return new DirectoryEntry(path, exactNative, target.Value.Kind == FileKind.Directory, identity, isSymbolicLink, null);
    }

    private static LoadError TooDeep(string path) =>
        new(path, LoadErrorReason.PathTooLong, "is deeper than the system's path limit (4,096 bytes); it and anything under it were not read");

    private static LoadError ListingFailure(string path, int error) => error switch
    {
        UnixFileSystem.PermissionDenied or UnixFileSystem.NotPermitted => new LoadError(path, LoadErrorReason.AccessDenied, "directory cannot be listed: access is denied"),
        UnixFileSystem.NameTooLong => TooDeep(path),
        UnixFileSystem.NoSuchFile => new LoadError(path, LoadErrorReason.NotFound, "directory does not exist"),
        _ => new LoadError(path, LoadErrorReason.ReadFailed, $"directory cannot be listed ({UnixFileSystem.Describe(error)})"),
    };
}
