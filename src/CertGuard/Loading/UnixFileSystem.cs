using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CertGuard.Loading;

/// <summary>
/// The few Linux system calls .NET does not expose: opening without blocking (a named pipe would block an ordinary
/// open forever), the type and identity (device and inode) of a file, and directory listings by raw name bytes (so a
/// file name that is not UTF-8 can still be opened). <c>statx</c> and <c>dirent</c> have the same layout on every
/// 64-bit Linux architecture, which is why they are used rather than <c>stat</c>.
/// </summary>
internal static class UnixFileSystem
{
    public const int NoSuchFile = 2;
    public const int PermissionDenied = 13;
    public const int NotPermitted = 1;
    public const int NoSuchDevice = 6;
    public const int NotADirectory = 20;
    public const int NameTooLong = 36;
    public const int TooManyLinks = 40;

    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int NoControllingTerminal = 0x100;
    private const int CloseOnExec = 0x80000;

    /// <summary>Whether these calls are available (Linux on a 64-bit process).</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>The bytes the kernel sees for a path written as a .NET string, NUL-terminated.</summary>
    public static byte[] NativePath(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    /// <summary>Opens a file for reading without ever blocking, even on a named pipe; null with the error number on failure.</summary>
    public static SafeFileHandle? OpenForReading(byte[] nativePath, out int error)
    {
        var fd = open(nativePath, ReadOnly | NonBlocking | NoControllingTerminal | CloseOnExec);
        error = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The type and identity of an open file.</summary>
    public static FileStatus? StatusOf(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return statx((int)handle.DangerousGetHandle(), [0], AtEmptyPath, StatxBasicStats, out var buffer) == 0 ? FileStatus.From(buffer) : null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The type and identity of a path (of its final target when <paramref name="followLinks"/>); null when it cannot be read.</summary>
    public static FileStatus? StatusOf(byte[] nativePath, bool followLinks, out int error)
    {
        var result = statx(AtCurrentDirectory, nativePath, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, out var buffer);
        error = result == 0 ? 0 : Marshal.GetLastPInvokeError();
        return result == 0 ? FileStatus.From(buffer) : null;
    }

    /// <summary>The raw names in a directory (without <c>.</c> and <c>..</c>); null with the error number when it cannot be listed.</summary>
    public static List<byte[]>? ListDirectory(byte[] nativePath, out int error)
    {
        var directory = opendir(nativePath);
        if (directory == IntPtr.Zero)
        {
            error = Marshal.GetLastPInvokeError();
            return null;
        }

        error = 0;
        var names = new List<byte[]>();
        try
        {
            IntPtr entry;
            while ((entry = readdir(directory)) != IntPtr.Zero)
            {
                // struct dirent: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name (NUL-terminated).
                var name = ReadName(entry + 19);
                if (name is [(byte)'.'] or [(byte)'.', (byte)'.'])
                {
                    continue;
                }

                names.Add(name);
            }
        }
        finally
        {
            _ = closedir(directory);
        }

        return names;
    }

    /// <summary>Describes an error number for a person.</summary>
    public static string Describe(int error) => Marshal.GetPInvokeErrorMessage(error);

    private static byte[] ReadName(IntPtr name)
    {
        var length = 0;
        while (Marshal.ReadByte(name, length) != 0)
        {
            length++;
        }

        var bytes = new byte[length];
        Marshal.Copy(name, bytes, 0, length);
        return bytes;
    }

#pragma warning disable SA1300, IDE1006, SYSLIB1054, CA5392 // libc's names; plain DllImport keeps the project free of unsafe code.
    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directoryDescriptor, byte[] path, int flags, uint mask, out StatxBuffer buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr opendir(byte[] path);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr readdir(IntPtr directory);

    [DllImport("libc")]
    private static extern int closedir(IntPtr directory);
#pragma warning restore SA1300, IDE1006, SYSLIB1054, CA5392

    /// <summary>The fields of <c>struct statx</c> read here, at their fixed offsets; 256 bytes in all.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(112)]
        public long ModifiedSeconds;

        [FieldOffset(120)]
        public uint ModifiedNanoseconds;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}
