using System.Text;
using CertGuard.IO;

namespace CertGuard.Cli;

/// <summary>
/// Reads a file named by an option (<c>--password-file</c>, <c>--owners</c>, <c>--trust</c>) within bounds: a named
/// pipe, socket or device is refused before it is opened (opening a pipe blocks; <c>/dev/zero</c> never ends), and a
/// file larger than its cap is refused rather than read. Each refusal is a usage error naming the option and file.
/// </summary>
internal static class OptionFile
{
    /// <summary>Refuses anything but a regular file (or a path that does not exist, which the reader reports).</summary>
    /// <param name="option">The option, for the message: <c>--owners</c>.</param>
    /// <param name="path">The file as given.</param>
    /// <exception cref="UsageException">The path names a pipe, socket, device or directory.</exception>
    public static void EnsureRegular(string option, string path)
    {
        var kind = FileNode.TypeOf(path) switch
        {
            FileNodeType.Fifo => "a named pipe",
            FileNodeType.Socket => "a socket",
            FileNodeType.CharacterDevice or FileNodeType.BlockDevice => "a device",
            FileNodeType.Directory => "a directory",
            _ => null,
        };
        if (kind is not null)
        {
            throw new UsageException($"{option} '{path}' is {kind}, not a regular file: give a file.");
        }
    }

    /// <summary>Reads a regular file of at most <paramref name="maxBytes"/> bytes as text (UTF-8 unless it has another byte order mark).</summary>
    /// <param name="option">The option, for the message.</param>
    /// <param name="path">The file as given.</param>
    /// <param name="maxBytes">The cap.</param>
    /// <returns>The text.</returns>
    /// <exception cref="UsageException">Not a regular file, larger than the cap, or unreadable.</exception>
    public static string ReadText(string option, string path, int maxBytes)
    {
        EnsureRegular(option, path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            var bytes = new byte[Math.Min(maxBytes + 1L, Math.Max(stream.Length + 1, 4096))];
            var length = 0;

            // Read to one byte past the cap, whatever Length said: a file can grow while it is read.
            while (length <= maxBytes)
            {
                if (length == bytes.Length)
                {
                    Array.Resize(ref bytes, (int)Math.Min(maxBytes + 1L, bytes.Length * 2L));
                }

                var read = stream.Read(bytes, length, bytes.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > maxBytes)
            {
                throw new UsageException($"{option} '{path}' is larger than {maxBytes / 1024} KiB, the most this option reads.");
            }

            using var reader = new StreamReader(new MemoryStream(bytes, 0, length), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} '{path}' cannot be read ({ex.GetType().Name}).");
        }
    }
}
