using System.Globalization;
using CertGuard.Loading;
using CertGuard.Policy;
using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.Reload;

/// <summary>
/// One set of certificate files and the certificate served from them. A new version of the files replaces the one
/// being served only when it passes every check; otherwise the old one keeps serving and the rejection is kept.
/// </summary>
internal sealed class ReloadingCertificate
{
    private readonly Lock _gate = new();
    private ServableCertificate _serving;
    private FileFingerprint[] _seen;
    private DateTimeOffset _loadedAt;
    private DateTimeOffset _lastAttemptAt;
    private Finding? _rejection;

    private ReloadingCertificate(CertificateFiles files, ServableCertificate serving, FileFingerprint[] seen, DateTimeOffset now)
    {
        Files = files;
        _serving = serving;
        _seen = seen;
        _loadedAt = now;
        _lastAttemptAt = now;
    }

    public CertificateFiles Files { get; }

    /// <summary>What is being served; read on every handshake, so never behind the lock.</summary>
    public ServableCertificate Serving => Volatile.Read(ref _serving);

    /// <summary>Why the latest files were refused, or null when the files on disk are the ones being served.</summary>
    public Finding? Rejection
    {
        get
        {
            lock (_gate)
            {
                return _rejection;
            }
        }
    }

    public ServerCertificateState State
    {
        get
        {
            lock (_gate)
            {
                return new ServerCertificateState
                {
                    ServerNames = Files.ServerNames,
                    CertificatePath = Files.CertificatePath,
                    KeyPath = Files.KeyPath,
                    ServingThumbprint = _serving.Facts.ThumbprintSha256,
                    ServingSubject = _serving.Facts.Subject,
                    ServingNotAfter = _serving.Facts.NotAfter,
                    LoadedAt = _loadedAt,
                    LastAttemptAt = _lastAttemptAt,
                    Rejection = _rejection,
                };
            }
        }
    }

    /// <summary>
    /// The directories whose changes may mean new content: each configured file's, each resolved target's, and the
    /// directory holding every symbolic link on the way, since swapping any of them (<c>mv -T live.tmp live</c>)
    /// changes what the path leads to.
    /// </summary>
    public IEnumerable<string> Directories
    {
        get
        {
            FileFingerprint[] seen;
            lock (_gate)
            {
                seen = _seen;
            }

            return Files.Paths.Select(p => Path.GetDirectoryName(Path.GetFullPath(p)))
                .Concat(seen.Select(f => Path.GetDirectoryName(f.ResolvedPath)))
                .Concat(Files.Paths.SelectMany(SymbolicLinks.LinksOnPath).Select(Path.GetDirectoryName))
                .OfType<string>()
                .Distinct(StringComparer.Ordinal);
        }
    }

    /// <summary>Loads the files for the first time; anything loadable with its key is served, even if expired.</summary>
    /// <exception cref="CertificateLoadException">The files cannot be served at all.</exception>
    public static ReloadingCertificate Start(CertificateFiles files, ServerCertificateFileLoader loader, DateTimeOffset now)
    {
        var seen = Fingerprint(files);
        var attempt = loader.Load(files, checkValidity: false);
        if (attempt.Certificate is null)
        {
            var reason = attempt.Reason switch
            {
                ReloadRejectionReason.KeyMismatch => LoadErrorReason.KeyMismatch,
                ReloadRejectionReason.WrongPassword => LoadErrorReason.WrongPassword,
                ReloadRejectionReason.UnsupportedFormat => LoadErrorReason.UnsupportedFormat,
                ReloadRejectionReason.NoPrivateKey => LoadErrorReason.KeyMismatch,
                _ => LoadErrorReason.ReadFailed,
            };
            throw new CertificateLoadException(new LoadError(files.CertificatePath, reason, $"cannot be served: {attempt.Problem}"));
        }

        return new ReloadingCertificate(files, attempt.Certificate, seen, now);
    }

    /// <summary>Reads the files again if they changed since they were last read.</summary>
    /// <returns>Whether they had changed.</returns>
    public bool Check(ServerCertificateFileLoader loader, DateTimeOffset now, ILogger logger, ReloadMetrics metrics)
    {
        lock (_gate)
        {
            // Fingerprints are taken before reading: a change during the read shows up as a new fingerprint next time.
            var fingerprints = Fingerprint(Files);
            if (fingerprints.AsSpan().SequenceEqual(_seen))
            {
                return false;
            }

            _seen = fingerprints;
            _lastAttemptAt = now;
            LoadAttempt attempt;
            try
            {
                attempt = loader.Load(Files, checkValidity: true);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                attempt = LoadAttempt.Rejected(ReloadRejectionReason.Unreadable, $"{Files.CertificatePath}: cannot be read ({ex.GetType().Name})");
            }

            if (attempt.Certificate is { } accepted)
            {
                // The old certificate is not disposed: handshakes under way may still be using it.
                Volatile.Write(ref _serving, accepted);
                _loadedAt = now;
                _rejection = null;
                metrics.Reloaded();
                ReloadLog.Loaded(logger, accepted.Facts.ThumbprintSha256, accepted.Facts.Subject, accepted.Facts.NotAfter, Files.ToString(), Describe());
                return true;
            }

            var serving = _serving.Facts;
            var label = ReloadMetrics.Label(attempt.Reason);
            // A warning, not critical: the old certificate still serves, and every replica reading the same bad file would
            // otherwise be drained at once. The served certificate's own findings decide whether it can serve.
            _rejection = new Finding(FindingIds.ReloadRejected, FindingSeverity.Warning,
                $"The new certificate files {Files} were refused ({label}): {attempt.Problem}. Still serving {serving.ThumbprintSha256}, "
                + $"which expires {serving.NotAfter.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}.");
            metrics.Rejected(attempt.Reason);
            ReloadLog.Rejected(logger, Describe(), label, attempt.Problem!, serving.ThumbprintSha256, serving.NotAfter);
            return true;
        }
    }

    private string Describe() => Files.ServerNames.Count == 0 ? "the default certificate" : string.Join(", ", Files.ServerNames);

    private static FileFingerprint[] Fingerprint(CertificateFiles files) => files.Paths.Select(FileFingerprint.Of).ToArray();
}
