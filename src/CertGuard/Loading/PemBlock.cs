namespace CertGuard.Loading;

/// <summary>One <c>-----BEGIN label-----</c> block of a PEM file, decoded.</summary>
/// <param name="Label">The label, upper case as written.</param>
/// <param name="Data">The decoded bytes, or <see langword="null"/> when the block is damaged.</param>
/// <param name="IsLegacyEncrypted">Whether the block carries an OpenSSL <c>Proc-Type: 4,ENCRYPTED</c> header.</param>
/// <param name="Problem">Why the block could not be decoded, when <paramref name="Data"/> is null.</param>
internal readonly record struct PemBlock(string Label, byte[]? Data, bool IsLegacyEncrypted, string? Problem);
