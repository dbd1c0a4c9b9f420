namespace CertGuard.Sources;

/// <summary>One entry of a listed directory, as <see cref="DirectoryWalker"/> sees it.</summary>
/// <param name="Path">The path as reported.</param>
/// <param name="NativePath">The NUL-terminated bytes the kernel knows the entry by, or null when <paramref name="Path"/> is exact.</param>
/// <param name="IsDirectory">Whether the entry is (or links to) a directory.</param>
/// <param name="Identity">What stays the same under every name: device and inode, or the fully resolved path where those are not available; null when it cannot be read.</param>
/// <param name="IsLink">Whether the entry is itself a symbolic link (the stable name deployment tools maintain).</param>
/// <param name="Problem">Why the entry cannot be examined, or null.</param>
internal sealed record DirectoryEntry(string Path, byte[]? NativePath, bool IsDirectory, string? Identity, bool IsLink, Loading.LoadError? Problem);
