using System.Runtime.CompilerServices;
using CertGuard.Loading;
using CertGuard.Policy;
using Microsoft.Extensions.FileSystemGlobbing;

namespace CertGuard.Sources;

/// <summary>
/// Every certificate file under a directory, recursively, chosen by include and exclude glob patterns. One bad file
/// is a load error for that file, with <see cref="UnreadableFileSeverity"/> (a warning by default), and never hides
/// the good ones. Each real file counts once: symbolic-link loops end, Kubernetes' <c>..data</c> entries are skipped,
/// and a file reached by several names is reported under one of them.
/// </summary>
public sealed class DirectoryCertificateSource : CertificateSource
{
    /// <summary>The patterns used when none are given: the usual certificate and keystore file names.</summary>
    public static IReadOnlyList<string> DefaultIncludePatterns { get; } =
    [
        "**/*.pem", "**/*.crt", "**/*.cer", "**/*.der", "**/*.p12", "**/*.pfx", "**/*.p7b", "**/*.p7c",
        "**/*.jks", "**/*.keystore", "**/*.truststore",
    ];

    private readonly CertificateLoadOptions _options;

    /// <summary>Creates a directory source.</summary>
    /// <param name="directory">The directory to search.</param>
    /// <param name="include">Glob patterns of files to load; <see cref="DefaultIncludePatterns"/> when null or empty.</param>
    /// <param name="exclude">Glob patterns of files to skip.</param>
    /// <param name="options">Passwords and size limit for every file; the defaults when null.</param>
    /// <param name="name">The source name; the directory when null.</param>
    public DirectoryCertificateSource(string directory, IEnumerable<string>? include = null, IEnumerable<string>? exclude = null, CertificateLoadOptions? options = null, string? name = null)
        : base(name ?? directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
        var includeList = include?.ToList();
        Include = includeList is { Count: > 0 } ? includeList : DefaultIncludePatterns;
        Exclude = exclude?.ToList() ?? [];
        _options = options ?? CertificateLoadOptions.Default;
    }

    /// <summary>The directory searched.</summary>
    public string Directory { get; }

    /// <summary>The include patterns.</summary>
    public IReadOnlyList<string> Include { get; }

    /// <summary>The exclude patterns.</summary>
    public IReadOnlyList<string> Exclude { get; }

    /// <summary>
    /// The severity of a file (or subdirectory) inside the directory that cannot be loaded: <see cref="FindingSeverity.Warning"/>
    /// by default (Degraded, HTTP 200), since one bad file in a folder is not necessarily what the node serves. The
    /// directory itself missing or unreadable stays <see cref="FindingSeverity.Critical"/>.
    /// </summary>
    public FindingSeverity UnreadableFileSeverity { get; init; } = FindingSeverity.Warning;

    /// <summary>
    /// How long a file that fails to load must have been left alone before the failure counts: a file modified more
    /// recently is read again once it has settled, so a certificate rewritten in place is not judged half-written.
    /// Zero (the default for code that scans once) judges at once; sources registered for monitoring use five seconds.
    /// </summary>
    public TimeSpan WriteSettleTime { get; init; }

    /// <inheritdoc />
    public override string Kind => "directory";

    /// <inheritdoc />
    public override string Location => Directory;

    /// <summary>The files the patterns select, each real file once, in a stable order.</summary>
    /// <returns>Paths under <see cref="Directory"/>; names that are not UTF-8 show their bytes as <c>\xNN</c>.</returns>
    public IReadOnlyList<string> FindFiles() => FindFiles(out _);

    /// <summary>The files the patterns select, each real file once, in a stable order, and what could not be listed.</summary>
    /// <param name="problems">Subdirectories that cannot be listed (access denied, deeper than the path limit), each named.</param>
    /// <returns>Paths under <see cref="Directory"/>; names that are not UTF-8 show their bytes as <c>\xNN</c>.</returns>
    public IReadOnlyList<string> FindFiles(out IReadOnlyList<LoadError> problems) =>
        FindWalkedFiles(out problems).Select(f => f.Path).ToList();

    /// <summary>As <see cref="FindFiles(out IReadOnlyList{LoadError})"/>, with the bytes to open a name that is not UTF-8 by.</summary>
    internal IReadOnlyList<WalkedFile> FindWalkedFiles(out IReadOnlyList<LoadError> problems)
    {
        var (files, errors) = Walk(CancellationToken.None);
        problems = errors;
        return files;
    }

    /// <inheritdoc />
    public override async ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        var parts = new List<CertificateLoadResult>();
        await foreach (var part in LoadPartsAsync(cancellationToken).ConfigureAwait(false))
        {
            parts.Add(part);
        }

        return CertificateLoadResult.Combine(parts);
    }

    /// <summary>One part per file, loaded only when the previous one has been taken.</summary>
    /// <param name="cancellationToken">Cancels the load, within a file as well as between files.</param>
    /// <returns>The parts: a single error when the directory cannot be listed.</returns>
    public override async IAsyncEnumerable<CertificateLoadResult> LoadPartsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield return CertificateLoadResult.Failed(Directory, LoadErrorReason.NotFound, "directory does not exist");
            yield break;
        }

        var (files, errors) = Walk(cancellationToken);
        var rootFailure = errors.FirstOrDefault(e => e.Location == Directory);
        if (rootFailure is not null)
        {
            yield return new CertificateLoadResult([], [rootFailure]);
            yield break;
        }

        if (errors.Count > 0)
        {
            yield return new CertificateLoadResult([], Lowered(errors));
        }

        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await SettledFileLoad.LoadAsync(file.Path, file.NativePath, _options, WriteSettleTime, cancellationToken).ConfigureAwait(false);
            yield return result.Errors.Count == 0 ? result : new CertificateLoadResult(result.Certificates, Lowered(result.Errors));
        }
    }

    private (List<WalkedFile> Files, List<LoadError> Errors) Walk(CancellationToken cancellationToken)
    {
        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddIncludePatterns(Include);
        matcher.AddExcludePatterns(Exclude);
        return DirectoryWalker.Walk(Directory, matcher, cancellationToken);
    }

    private List<LoadError> Lowered(IEnumerable<LoadError> errors) =>
        errors.Select(e => e with { Severity = UnreadableFileSeverity }).ToList();
}
