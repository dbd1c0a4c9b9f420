using CertGuard.Loading;

namespace CertGuard.Sources;

/// <summary>
/// Loads a file, and when the load fails while the file is still being written (modified less than the settle time
/// ago), waits until it has been left alone for the settle time and loads it again, so a certificate rewritten in
/// place is judged once the writer has finished, not half-written. Bounded by the caller's cancellation (the source's
/// timeout) and by <see cref="MaxAttempts"/>.
/// </summary>
internal static class SettledFileLoad
{
    public const int MaxAttempts = 8;

    public static async Task<CertificateLoadResult> LoadAsync(string path, byte[]? nativePath, CertificateLoadOptions options, TimeSpan settleTime, CancellationToken cancellationToken)
    {
        var result = CertificateLoader.LoadFile(path, nativePath, options, cancellationToken);
        for (var attempt = 1; attempt < MaxAttempts && result.Errors.Count > 0 && settleTime > TimeSpan.Zero; attempt++)
        {
            var wait = settleTime - SinceLastWrite(path, nativePath, options.KeyPath);
            if (wait <= TimeSpan.Zero)
            {
                break;
            }

            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            result.Dispose();
            result = CertificateLoader.LoadFile(path, nativePath, options, cancellationToken);
        }

        return result;
    }

    /// <summary>How long ago the file (or its key file) was last written; the file system's clock is the real one.</summary>
    private static TimeSpan SinceLastWrite(string path, byte[]? nativePath, string? keyPath)
    {
        var latest = LastWrite(path, nativePath);
        if (keyPath is not null && LastWrite(keyPath, null) is { } key && (latest is null || key > latest))
        {
            latest = key;
        }

        return latest is { } written ? DateTime.UtcNow - written : TimeSpan.MaxValue;
    }

    private static DateTime? LastWrite(string path, byte[]? nativePath)
    {
        if (UnixFileSystem.IsSupported)
        {
            var status = UnixFileSystem.StatusOf(nativePath ?? UnixFileSystem.NativePath(path), followLinks: true, out _);
            return status is { } known ? DateTime.UnixEpoch.AddTicks(known.ModifiedTicks) : null;
        }

        return File.Exists(path) ? File.GetLastWriteTimeUtc(path) : null;
    }
}
