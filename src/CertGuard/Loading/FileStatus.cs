namespace CertGuard.Loading;

/// <summary>What <c>statx</c> says of a file: its type, its identity (device and inode), its size and modification time.</summary>
internal readonly record struct FileStatus(FileKind Kind, ulong Device, ulong Inode, long Size, long ModifiedTicks)
{
    public static FileStatus From(UnixFileSystem.StatxBuffer buffer) => new(
        KindOf(buffer.Mode),
        ((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor,
        buffer.Inode,
        (long)buffer.Size,
        (buffer.ModifiedSeconds * TimeSpan.TicksPerSecond) + (buffer.ModifiedNanoseconds / 100));

    /// <summary>The identity that stays the same under every name (links, <c>.</c>, bind mounts aside).</summary>
    public (ulong Device, ulong Inode) Identity => (Device, Inode);

    private static FileKind KindOf(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.NamedPipe,
        0xC000 => FileKind.Socket,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        _ => FileKind.Other,
    };
}
