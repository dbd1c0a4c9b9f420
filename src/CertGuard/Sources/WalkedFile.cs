namespace CertGuard.Sources;

/// <summary>A file found by <see cref="DirectoryWalker"/>.</summary>
/// <param name="Path">The path as reported: under the directory the user configured, with bytes that are not UTF-8 shown as <c>\xNN</c>.</param>
/// <param name="NativePath">The NUL-terminated bytes the kernel knows the file by, when they differ from the UTF-8 of <paramref name="Path"/>.</param>
internal sealed record WalkedFile(string Path, byte[]? NativePath);
