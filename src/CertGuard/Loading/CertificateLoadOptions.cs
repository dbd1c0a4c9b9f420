namespace CertGuard.Loading;

/// <summary>How to load certificate files: candidate passwords, a separate key file, and a size limit.</summary>
/// <remarks>Deliberately not a record: its <see cref="ToString"/> must never print a password.</remarks>
public sealed class CertificateLoadOptions
{
    /// <summary>The default size limit: 16 MiB, far above any real certificate file.</summary>
    public const long DefaultMaxSize = 16L * 1024 * 1024;

    /// <summary>Options with no passwords and the default size limit.</summary>
    public static CertificateLoadOptions Default { get; } = new();

    /// <summary>
    /// Passwords to try in turn on protected content (PFX, JKS, encrypted PEM keys). When none opens
    /// the content, loading fails with <see cref="LoadErrorReason.WrongPassword"/>.
    /// </summary>
    public IReadOnlyList<string> Passwords { get; init; } = [];

    /// <summary>A PEM private key kept in a file of its own beside the certificate, or <see langword="null"/>.</summary>
    public string? KeyPath { get; init; }

    /// <summary>Files larger than this many bytes are refused with <see cref="LoadErrorReason.TooLarge"/>.</summary>
    public long MaxSize { get; init; } = DefaultMaxSize;

    /// <inheritdoc />
    public override string ToString() =>
        $"{nameof(CertificateLoadOptions)} {{ Passwords = {Passwords.Count} candidate(s), KeyPath = {KeyPath ?? "none"}, MaxSize = {MaxSize} }}";
}
