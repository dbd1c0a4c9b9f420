using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.Cli.Scanning;

/// <summary>
/// Turns command-line targets into sources. A directory or glob becomes one file source per file, so each file's
/// certificates are released as soon as it is judged: memory grows with the report, not with the files read.
/// </summary>
internal sealed class TargetResolver(ScanSettings settings)
{
    private const string StorePrefix = "store:";

    public ResolvedTargets Resolve()
    {
        var sources = new List<CertificateSource>();
        var errors = new List<InventoryError>();
        foreach (var target in settings.Targets)
        {
            if (string.IsNullOrWhiteSpace(target))
            {
                throw new UsageException("a target is empty.");
            }

            if (target.StartsWith(StorePrefix, StringComparison.OrdinalIgnoreCase))
            {
                sources.Add(StoreSource(target));
            }
            else if (File.Exists(target))
            {
                sources.Add(FileSource(target));
            }
            else if (Directory.Exists(target))
            {
                AddDirectory(target, sources, errors);
            }
            else if (EndpointTargets.LookLikeEndpoint(target))
            {
                // Before globs: '[::1]:443' holds a '[' but is an address, not a character class.
                sources.Add(EndpointTargets.Create(target, settings));
            }
            else if (IsGlob(target))
            {
                AddGlob(target, sources, errors);
            }
            else
            {
                // Not there: the file source reports NotFound with the path, like any other load error.
                sources.Add(FileSource(target));
            }
        }

        return new ResolvedTargets(sources, errors);
    }

    private static bool IsGlob(string target) => target.IndexOfAny(['*', '?', '[']) >= 0;

    private FileCertificateSource FileSource(string path) => FileSource(new WalkedFile(path, NativePath: null));

    private FileCertificateSource FileSource(WalkedFile file) => new(file.Path, settings.LoadOptions)
    {
        NativePath = file.NativePath,
        Trust = settings.FileTrust ?? ChainTrust.None,
        Revocation = settings.Revocation ?? RevocationCheckMode.Off,
        Owner = settings.Owners.Find(file.Path),
        Timeout = settings.Timeout,
    };

    // A directory with no certificate file and a glob that matches nothing are the same mistake (a wrong path, an
    // empty mount): both are a NotFound load error naming the target, so neither reads as a clean, healthy scan.
    private void AddDirectory(string directory, List<CertificateSource> sources, List<InventoryError> errors)
    {
        var patterns = DirectoryCertificateSource.DefaultIncludePatterns;
        var errorsBefore = errors.Count;
        var files = FindFiles(directory, patterns, directory, errors);
        if (files.Count == 0 && errors.Count == errorsBefore)
        {
            errors.Add(new InventoryError(directory, LoadErrorReason.NotFound,
                $"no certificate file in the directory (looked for {string.Join(", ", patterns)})", settings.Owners.Find(directory)));
        }

        sources.AddRange(files.Select(FileSource));
    }

    private void AddGlob(string glob, List<CertificateSource> sources, List<InventoryError> errors)
    {
        var (root, pattern) = SplitGlob(glob);
        var errorsBefore = errors.Count;
        var files = FindFiles(root.Length == 0 ? "." : root, [pattern], glob, errors);
        if (files.Count == 0 && errors.Count == errorsBefore)
        {
            errors.Add(new InventoryError(glob, LoadErrorReason.NotFound, "no file matches the pattern", settings.Owners.Find(glob)));
        }

        sources.AddRange(files.Select(FileSource));
    }

    private List<WalkedFile> FindFiles(string directory, IReadOnlyList<string> patterns, string target, List<InventoryError> errors)
    {
        // The library's walk: each directory once (link loops end), each real file once (Kubernetes' ..data skipped),
        // and a subfolder that cannot be listed is an error naming it while the rest is scanned.
        var files = new DirectoryCertificateSource(directory, patterns).FindWalkedFiles(out var problems);
        // A missing glob root is "no file matches", reported by the caller; other failures of the root name the target.
        var rootMissing = problems.Any(p => p.Location == directory && p.Reason == LoadErrorReason.NotFound);
        errors.AddRange(problems.Where(p => !rootMissing || p.Location != directory)
            .Select(p => new InventoryError(p.Location == directory ? target : Shown(p.Location), p.Reason, p.Message, settings.Owners.Find(target))));

        // Show paths the way the user wrote the target (relative stays relative), so reports and SARIF match the repository.
        // A name that is not UTF-8 is shown with \xNN escapes and opened by its bytes.
        return files.Select(f => f with { Path = Shown(f.Path) }).ToList();

        string Shown(string path) => directory == "." && path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
    }

    /// <summary>Splits <c>certs/**/*.pem</c> into the fixed directory <c>certs</c> and the pattern <c>**/*.pem</c>.</summary>
    private static (string Root, string Pattern) SplitGlob(string glob)
    {
        var normalized = glob.Replace('\\', '/');
        var segments = normalized.Split('/');
        var fixedCount = 0;
        while (fixedCount < segments.Length - 1 && !IsGlob(segments[fixedCount]))
        {
            fixedCount++;
        }

        var root = string.Join('/', segments[..fixedCount]);
        if (normalized.StartsWith('/') && fixedCount > 0 && root.Length == 0)
        {
            root = "/";
        }

        return (root, string.Join('/', segments[fixedCount..]));
    }

    private StoreCertificateSource StoreSource(string target)
    {
        var spec = target[StorePrefix.Length..];
        var slash = spec.IndexOf('/');
        if (slash <= 0 || slash == spec.Length - 1
            || !Enum.TryParse<StoreLocation>(spec[..slash], ignoreCase: true, out var location) || !Enum.IsDefined(location) || int.TryParse(spec[..slash], out _))
        {
            throw new UsageException($"'{target}' is not a store target: use store:CurrentUser/<name> or store:LocalMachine/<name> (for example store:CurrentUser/My).");
        }

        return new StoreCertificateSource(spec[(slash + 1)..], location)
        {
            Trust = settings.FileTrust ?? ChainTrust.None,
            Revocation = settings.Revocation ?? RevocationCheckMode.Off,
            Owner = settings.Owners.Find($"{StorePrefix}{location}/{spec[(slash + 1)..]}"),
            Timeout = settings.Timeout,
        };
    }
}
