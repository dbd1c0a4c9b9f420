using System.Buffers;

namespace CertGuard.Loading;

/// <summary>Reads a whole file within a size limit, turning every I/O failure into a <see cref="LoadError"/>.</summary>
internal readonly record struct FileContent(byte[]? Data, LoadError? Error)
{
    public static FileContent Read(string path, long maxSize)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return Failed(path, LoadErrorReason.UnrecognizedFormat, "is a directory, not a file");
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
            if (stream.CanSeek && stream.Length > maxSize)
            {
                return Failed(path, LoadErrorReason.TooLarge, $"{stream.Length} bytes is over the {maxSize}-byte limit and was not read");
            }

            // Read at most one byte past the limit, so a file that grows (or a device) cannot exhaust memory.
            // The chunk is pooled and the buffer sized to the file, so a directory scan allocates little more than the
            // content itself per file (a fresh 80 KiB chunk per file was most of a scan's allocations).
            var buffer = new MemoryStream(stream.CanSeek ? (int)stream.Length : 4096);
            var chunk = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > maxSize)
                    {
                        return Failed(path, LoadErrorReason.TooLarge, $"is over the {maxSize}-byte limit and was not read");
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            // A file read to its expected length fills the buffer exactly: hand it over without a copy.
            return new FileContent(buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray(), null);
        }
        catch (FileNotFoundException)
        {
            return Failed(path, LoadErrorReason.NotFound, "does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            return Failed(path, LoadErrorReason.NotFound, "does not exist (its directory is missing)");
        }
        catch (UnauthorizedAccessException)
        {
            return Failed(path, LoadErrorReason.AccessDenied, "cannot be read: access is denied");
        }
        catch (IOException ex)
        {
            return Failed(path, LoadErrorReason.ReadFailed, $"cannot be read ({ex.Message.TrimEnd('.')})");
        }
    }

    private static FileContent Failed(string path, LoadErrorReason reason, string message) =>
        new(null, new LoadError(path, reason, message));
}
