using CertGuard.Loading;

namespace CertGuard.Sources;

/// <summary>A certificate file (PEM, DER, PFX, P7B, JKS), with an optional separate PEM key file.</summary>
public sealed class FileCertificateSource : CertificateSource
{
    private readonly CertificateLoadOptions _options;

    /// <summary>Creates a file source.</summary>
    /// <param name="path">The certificate file.</param>
    /// <param name="options">Passwords, key file and size limit; the defaults when null.</param>
    /// <param name="name">The source name; the path when null.</param>
    public FileCertificateSource(string path, CertificateLoadOptions? options = null, string? name = null)
        : base(name ?? path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _options = options ?? CertificateLoadOptions.Default;
    }

    /// <summary>The certificate file.</summary>
    public string Path { get; }

    /// <summary>
    /// How long the file must have been left alone before a failed load counts: a file modified more recently is read
    /// again once it has settled, so a certificate rewritten in place is not judged half-written. Zero (the default for
    /// code that scans once) judges at once; sources registered for monitoring use five seconds.
    /// </summary>
    public TimeSpan WriteSettleTime { get; init; }

    /// <inheritdoc />
    public override string Kind => "file";

    /// <inheritdoc />
    public override string Location => Path;

    /// <inheritdoc />
    public override IReadOnlyList<string> WatchedPaths => _options.KeyPath is null ? [Path] : [Path, _options.KeyPath];

    /// <summary>
    /// The bytes the kernel knows the file by, for a file found by a directory walk whose name is not UTF-8 (its
    /// <see cref="Path"/> shows those bytes as <c>\xNN</c> and cannot be opened by that text).
    /// </summary>
    internal byte[]? NativePath { get; init; }

    /// <inheritdoc />
    public override async ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await SettledFileLoad.LoadAsync(Path, NativePath, _options, WriteSettleTime, cancellationToken).ConfigureAwait(false);
    }
}
