using System.Runtime.InteropServices;

namespace CertGuard.IO;

/// <summary>
/// Reads what a path names without opening it. .NET reports a named pipe or a device as an ordinary file, and opening
/// a pipe blocks until a writer comes, so a reader must ask first: on Linux this uses <c>statx</c>, whose layout is
/// the same on every architecture; elsewhere it answers <see cref="FileNodeType.Unknown"/>.
/// </summary>
internal static class FileNode
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint TypeMask = 0x1; // STATX_TYPE
    private const int ModeOffset = 28; // offsetof(struct statx, stx_mode)
    private const int NoSuchFile = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR

    /// <summary>What <paramref name="path"/> names, following symbolic links.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The type, <see cref="FileNodeType.Missing"/> when nothing is there, or <see cref="FileNodeType.Unknown"/>.</returns>
    public static FileNodeType TypeOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return FileNodeType.Unknown;
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(CurrentDirectory, path, 0, TypeMask, buffer) != 0)
            {
                return Marshal.GetLastPInvokeError() is NoSuchFile or NotADirectory ? FileNodeType.Missing : FileNodeType.Unknown;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return FileNodeType.Unknown; // a C library older than glibc 2.28 has no statx
        }

        return (BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000) switch
        {
            0x8000 => FileNodeType.Regular,
            0x4000 => FileNodeType.Directory,
            0x1000 => FileNodeType.Fifo,
            0xC000 => FileNodeType.Socket,
            0x2000 => FileNodeType.CharacterDevice,
            0x6000 => FileNodeType.BlockDevice,
            _ => FileNodeType.Unknown,
        };
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
