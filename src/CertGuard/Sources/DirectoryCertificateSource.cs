using CertGuard.Loading;
using Microsoft.Extensions.FileSystemGlobbing;

namespace CertGuard.Sources;

/// <summary>
/// Every certificate file under a directory, recursively, chosen by include and exclude glob patterns.
/// One bad file is reported and never hides the good ones.
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

    /// <inheritdoc />
    public override string Kind => "directory";

    /// <inheritdoc />
    public override string Location => Directory;

    /// <summary>The files the patterns select, in a stable order.</summary>
    /// <returns>Full paths.</returns>
    public IReadOnlyList<string> FindFiles()
    {
        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddIncludePatterns(Include);
        matcher.AddExcludePatterns(Exclude);
        return matcher.GetResultsInFullPath(Directory).Order(StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public override ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(CertificateLoadResult.Combine(Parts(cancellationToken).ToList()));

    /// <summary>One part per file, loaded only when the previous one has been taken.</summary>
    /// <param name="cancellationToken">Cancels the load between files.</param>
    /// <returns>The parts: a single error when the directory cannot be listed.</returns>
    public override IAsyncEnumerable<CertificateLoadResult> LoadPartsAsync(CancellationToken cancellationToken) =>
        Parts(cancellationToken).ToAsyncEnumerable();

    private IEnumerable<CertificateLoadResult> Parts(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield return CertificateLoadResult.Failed(Directory, LoadErrorReason.NotFound, "directory does not exist");
            yield break;
        }

        var (files, listingFailure) = List();
        if (listingFailure is not null)
        {
            yield return listingFailure;
            yield break;
        }

        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return CertificateLoader.LoadFile(file, _options);
        }
    }

    private (IReadOnlyList<string> Files, CertificateLoadResult? Failure) List()
    {
        try
        {
            return (FindFiles(), null);
        }
        catch (UnauthorizedAccessException)
        {
            return ([], CertificateLoadResult.Failed(Directory, LoadErrorReason.AccessDenied, "directory cannot be listed: access is denied"));
        }
        catch (IOException ex)
        {
            return ([], CertificateLoadResult.Failed(Directory, LoadErrorReason.ReadFailed, $"directory cannot be listed ({ex.Message.TrimEnd('.')})"));
        }
    }
}
