namespace CertGuard.AspNetCore.Reload;

/// <summary>
/// A cheap identity of a file's current content: where its symbolic links lead, its length and its write time. An
/// atomic symlink swap changes the resolved path; a write in place changes the length or the time.
/// </summary>
internal readonly record struct FileFingerprint(string ResolvedPath, long Length, DateTime LastWriteUtc)
{
    public static FileFingerprint Of(string path)
    {
        var resolved = SymbolicLinks.Resolve(path);
        try
        {
            var info = new FileInfo(resolved);
            return info.Exists ? new(resolved, info.Length, info.LastWriteTimeUtc) : new(resolved, -1, default);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new(resolved, -1, default);
        }
    }
}
