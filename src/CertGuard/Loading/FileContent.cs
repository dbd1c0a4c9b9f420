using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace CertGuard.Loading;

/// <summary>
/// Reads a whole file within a size limit, turning every I/O failure into a <see cref="LoadError"/>. Only regular
/// files are read: a named pipe, socket or device is refused without blocking, because opening a pipe waits for a
/// writer forever and a device can stream without end.
/// </summary>
internal readonly record struct FileContent(byte[]? Data, LoadError? Error)
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The file, as reported in errors.</param>
    /// <param name="maxSize">The size limit.</param>
    /// <param name="cancellationToken">Cancels the read between chunks.</param>
    /// <param name="nativePath">The path's bytes as the kernel knows them, when they are not the UTF-8 of <paramref name="path"/> (a name that is not valid UTF-8).</param>
    public static FileContent Read(string path, long maxSize, CancellationToken cancellationToken = default, byte[]? nativePath = null)
    {
        try
        {
            using var handle = Open(path, nativePath, out var refused);
            if (handle is null)
            {
                return new FileContent(null, refused);
            }

            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            return ReadAll(stream, path, maxSize, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return Failed(path, LoadErrorReason.NotFound, "does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            return Failed(path, LoadErrorReason.NotFound, "does not exist (its directory is missing)");
        }
        catch (PathTooLongException)
        {
            return Failed(path, LoadErrorReason.PathTooLong, "has a path longer than the system allows and cannot be opened");
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

    /// <summary>A reason the kind of file is refused, or null for a regular file.</summary>
    public static string? Refusal(FileKind kind) => kind switch
    {
        FileKind.Regular => null,
        FileKind.Directory => "is a directory, not a file",
        FileKind.NamedPipe => "is a named pipe (FIFO), not a regular file, and was not read",
        FileKind.Socket => "is a socket, not a regular file, and was not read",
        FileKind.CharacterDevice or FileKind.BlockDevice => "is a device, not a regular file, and was not read",
        _ => "is not a regular file and was not read",
    };

    private static SafeFileHandle? Open(string path, byte[]? nativePath, out LoadError? refused)
    {
        refused = null;
        if (!UnixFileSystem.IsSupported)
        {
            // Elsewhere there are no pipes among ordinary paths to block on; a directory is still told apart.
            if (Directory.Exists(path))
            {
                refused = new LoadError(path, LoadErrorReason.UnrecognizedFormat, "is a directory, not a file");
                return null;
            }

            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        }

        // Opened without blocking and judged by the opened handle, so a file swapped for a pipe between a check and
        // the open cannot block: there is no check before the open to race with.
        var handle = UnixFileSystem.OpenForReading(nativePath ?? UnixFileSystem.NativePath(path), out var error);
        if (handle is null)
        {
            refused = OpenFailure(path, error);
            return null;
        }

        var status = UnixFileSystem.StatusOf(handle);
        var refusal = status is { } known ? Refusal(known.Kind) : "cannot be examined";
        if (refusal is null)
        {
            return handle;
        }

        handle.Dispose();
        refused = new LoadError(path, status?.Kind == FileKind.Directory ? LoadErrorReason.UnrecognizedFormat : LoadErrorReason.NotARegularFile, refusal);
        return null;
    }

    private static LoadError OpenFailure(string path, int error) => error switch
    {
        UnixFileSystem.NoSuchFile => new LoadError(path, LoadErrorReason.NotFound, "does not exist"),
        UnixFileSystem.NotADirectory => new LoadError(path, LoadErrorReason.NotFound, "does not exist (a directory on its path is a file)"),
        UnixFileSystem.PermissionDenied or UnixFileSystem.NotPermitted => new LoadError(path, LoadErrorReason.AccessDenied, "cannot be read: access is denied"),
        UnixFileSystem.NameTooLong => new LoadError(path, LoadErrorReason.PathTooLong, "has a path longer than the system allows (4,096 bytes) and cannot be opened"),
        UnixFileSystem.TooManyLinks => new LoadError(path, LoadErrorReason.ReadFailed, "cannot be opened: too many levels of symbolic links (a link loop?)"),

        // Opening a socket fails with "no such device or address".
        UnixFileSystem.NoSuchDevice => new LoadError(path, LoadErrorReason.NotARegularFile, "is a socket or device, not a regular file, and was not read"),
        _ => new LoadError(path, LoadErrorReason.ReadFailed, $"cannot be read ({UnixFileSystem.Describe(error)})"),
    };

    private static FileContent ReadAll(FileStream stream, string path, long maxSize, CancellationToken cancellationToken)
    {
        var length = stream.CanSeek ? stream.Length : 0;
        if (length > maxSize)
        {
            return Failed(path, LoadErrorReason.TooLarge, $"{length} bytes is over the {maxSize}-byte limit and was not read");
        }

        // Read at most one chunk past the limit, so a file that grows cannot exhaust memory. The chunk is pooled and
        // the buffer sized to the file, so a directory scan allocates little more than the content itself per file.
        var buffer = new MemoryStream(length > 0 ? (int)length : 4096);
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
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

    private static FileContent Failed(string path, LoadErrorReason reason, string message) =>
        new(null, new LoadError(path, reason, message));
}
