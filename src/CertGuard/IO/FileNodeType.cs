namespace CertGuard.IO;

/// <summary>What a path names, as the operating system reports it (after following symbolic links).</summary>
internal enum FileNodeType
{
    /// <summary>The type could not be read (not Linux, or the call failed): callers decide as they did before.</summary>
    Unknown,

    /// <summary>A regular file: safe to open and read to its end.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A named pipe: opening it blocks until a writer comes, reading it may never end.</summary>
    Fifo,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>A character device such as <c>/dev/zero</c>: reading it may never end.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>Nothing exists at the path.</summary>
    Missing,
}
