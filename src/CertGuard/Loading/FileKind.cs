namespace CertGuard.Loading;

/// <summary>The type of a file-system entry, as the kernel reports it.</summary>
internal enum FileKind
{
    Other,
    Regular,
    Directory,
    SymbolicLink,
    NamedPipe,
    Socket,
    CharacterDevice,
    BlockDevice,
}
