using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CertGuard.AspNetCore.Reload;

/// <summary>
/// Serves Kestrel's certificates from files (PEM certificate and key, or PKCS#12) and reloads them when they change,
/// including through an atomic symbolic link swap (a Kubernetes secret's <c>..data</c> link, certbot's
/// <c>live/</c> links), which Kestrel's own file watching does not follow. A new certificate replaces the one being
/// served only if it loads, its key matches, it is within its validity and (when asked) its chain is trusted;
/// otherwise the old one keeps serving and <see cref="States"/>, an error log and the
/// <c>certguard_certificate_reloads</c> metric say why. Several sets of files can be served by SNI name.
/// </summary>
public sealed class ServerCertificateReloader : IDisposable
{
    private readonly ServerCertificateReloaderOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ReloadMetrics _metrics;
    private readonly ServerCertificateFileLoader _loader;
    private readonly ITimer _refreshTimer;
    private readonly ITimer _changeTimer;
    private readonly DirectoryWatchers? _watchers;
    private readonly Lock _checking = new();
    private ReloadingCertificate[] _certificates = [];
    private ListenOptions[] _endpoints = [];
    private int _disposed;

    /// <summary>Creates a reloader with no certificates; add them with <see cref="Add"/>.</summary>
    /// <param name="options">How to notice changes and what to accept; the defaults when null.</param>
    /// <param name="timeProvider">The clock for validity checks and the refresh interval; the system clock when null.</param>
    /// <param name="logger">Where reloads and rejections are logged; nowhere when null.</param>
    /// <param name="meterFactory">Creates the <c>CertGuard</c> meter; a meter of its own when null.</param>
    /// <exception cref="ArgumentException">The options are not valid; the message lists every problem.</exception>
    public ServerCertificateReloader(
        ServerCertificateReloaderOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<ServerCertificateReloader>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        _options = options ?? new ServerCertificateReloaderOptions();
        var problems = _options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = new ReloadMetrics(meterFactory);
        _loader = new ServerCertificateFileLoader(_timeProvider, _options.Trust, _options.ClockSkewTolerance);
        _refreshTimer = _timeProvider.CreateTimer(_ => CheckAll(), null, _options.RefreshInterval, _options.RefreshInterval);
        _changeTimer = _timeProvider.CreateTimer(_ => CheckAll(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_options.WatchFiles)
        {
            _watchers = new DirectoryWatchers(OnFileChanged, _logger, _options.RefreshInterval);
        }
    }

    /// <summary>What is served for each set of files, and how the last reload went.</summary>
    public IReadOnlyList<ServerCertificateState> States => Volatile.Read(ref _certificates).Select(c => c.State).ToList();

    /// <summary>Files added so far, for discovery: certificate path, key path, password and SNI names.</summary>
    internal IReadOnlyList<CertificateFiles> Files => Volatile.Read(ref _certificates).Select(c => c.Files).ToList();

    /// <summary>Each set of files with what it serves and why its latest version was refused, for health.</summary>
    internal IReadOnlyList<ReloadingCertificate> Certificates => Volatile.Read(ref _certificates);

    /// <summary>The endpoints served through <c>UseHttps(reloader)</c>; their ports are the bound ones once Kestrel started.</summary>
    internal IReadOnlyList<ListenOptions> Endpoints => Volatile.Read(ref _endpoints);

    /// <summary>Whether <c>UseReloadingCertificate</c> made the reloader every HTTPS endpoint's default.</summary>
    internal bool ServesHttpsDefaults { get; set; }

    /// <summary>Raised after files were read again because they changed: the served certificate changed or a replacement was refused.</summary>
    internal event Action? Changed;

    /// <summary>Serves certificate files, now and whenever they change.</summary>
    /// <param name="certificatePath">A PEM file (certificate, then any intermediates; with the key unless <paramref name="keyPath"/> is given) or a PKCS#12 file.</param>
    /// <param name="keyPath">A PEM private key file, or null when the key is in <paramref name="certificatePath"/>.</param>
    /// <param name="password">The PKCS#12 password or the encrypted PEM key's password, or null.</param>
    /// <param name="serverNames">
    /// The SNI names to serve this certificate for (<c>*.example.com</c> matches one label); none, or <c>*</c>, for
    /// the default certificate, served when no other matches.
    /// </param>
    /// <returns>What is being served.</returns>
    /// <exception cref="CertificateLoadException">
    /// The files cannot be served at all (missing, unreadable, no key, key mismatch, wrong password). An expired
    /// certificate is served at start, because something beats nothing; it is only refused as a replacement.
    /// </exception>
    public ServerCertificateState Add(string certificatePath, string? keyPath = null, string? password = null, params IEnumerable<string> serverNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePath);
        ArgumentNullException.ThrowIfNull(serverNames);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var names = serverNames.Where(n => n != "*").Select(n => n.Trim().TrimEnd('.')).ToList();
        foreach (var name in names)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(serverNames));
        }

        var files = new CertificateFiles(certificatePath, keyPath, password, names);
        var certificate = ReloadingCertificate.Start(files, _loader, _timeProvider.GetUtcNow());
        ReloadLog.Loaded(_logger, certificate.Serving.Facts.ThumbprintSha256, certificate.Serving.Facts.Subject, certificate.Serving.Facts.NotAfter, files.ToString(), names.Count == 0 ? "the default certificate" : string.Join(", ", names));
        lock (_checking)
        {
            Volatile.Write(ref _certificates, [.. _certificates, certificate]);
        }

        _watchers?.Watch(Volatile.Read(ref _certificates).SelectMany(c => c.Directories));
        return certificate.State;
    }

    /// <summary>The certificate and chain to present for an SNI name, or null when none is configured for it.</summary>
    /// <param name="serverName">The name the client asked for; null or empty when it sent none.</param>
    /// <returns>The context Kestrel hands to <see cref="SslStream"/>.</returns>
    public SslStreamCertificateContext? SelectContext(string? serverName) => Find(serverName)?.Serving.Context;

    /// <summary>The context of the one certificate served for every name, or null when SNI names choose between several.</summary>
    internal SslStreamCertificateContext? SelectContextForEveryName()
    {
        var certificates = Volatile.Read(ref _certificates);
        return certificates.Length == 1 && certificates[0].Files.ServerNames.Count == 0 ? certificates[0].Serving.Context : null;
    }

    /// <summary>The certificate to present for an SNI name, or null when none is configured for it.</summary>
    /// <param name="serverName">The name the client asked for; null or empty when it sent none.</param>
    /// <returns>The certificate, with its private key.</returns>
    public X509Certificate2? SelectCertificate(string? serverName) => Find(serverName)?.Serving.Certificate;

    /// <summary>Remembers an endpoint served through <c>UseHttps(reloader)</c>.</summary>
    internal void ServeOn(ListenOptions endpoint)
    {
        lock (_checking)
        {
            Volatile.Write(ref _endpoints, [.. _endpoints, endpoint]);
        }
    }

    /// <summary>Checks every file now, as the refresh timer would, and reloads what changed.</summary>
    public void Refresh() => CheckAll();

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _refreshTimer.Dispose();
        _changeTimer.Dispose();
        _watchers?.Dispose();
        _metrics.Dispose();
    }

    private ReloadingCertificate? Find(string? serverName)
    {
        // On every handshake: index loops and spans, no allocation.
        var certificates = Volatile.Read(ref _certificates);
        ReloadingCertificate? fallback = null;
        ReloadingCertificate? wildcard = null;
        var name = (serverName ?? string.Empty).AsSpan().TrimEnd('.');
        for (var i = 0; i < certificates.Length; i++)
        {
            var certificate = certificates[i];
            var names = certificate.Files.ServerNames;
            if (names.Count == 0)
            {
                fallback ??= certificate;
                continue;
            }

            if (name.IsEmpty)
            {
                continue;
            }

            for (var j = 0; j < names.Count; j++)
            {
                var candidate = names[j].AsSpan();
                if (name.Equals(candidate, StringComparison.OrdinalIgnoreCase))
                {
                    return certificate;
                }

                // *.example.com matches exactly one label before .example.com.
                if (wildcard is null && candidate.StartsWith("*.") && name.Length > candidate.Length - 1
                    && name.EndsWith(candidate[1..], StringComparison.OrdinalIgnoreCase)
                    && !name[..^(candidate.Length - 1)].Contains('.'))
                {
                    wildcard = certificate;
                }
            }
        }

        return wildcard ?? fallback;
    }

    private void OnFileChanged()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _changeTimer.Change(_options.ChangeDelay, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the check and the call.
            }
        }
    }

    private void CheckAll()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        // One check at a time: the refresh timer, file events and Refresh() may all fire together.
        lock (_checking)
        {
            var changed = false;
            foreach (var certificate in _certificates)
            {
                changed |= certificate.Check(_loader, _timeProvider.GetUtcNow(), _logger, _metrics);
            }

            if (!changed)
            {
                return;
            }

            // A swap may have moved the resolved targets to other directories.
            _watchers?.Watch(_certificates.SelectMany(c => c.Directories));
        }

        try
        {
            Changed?.Invoke();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A listener's failure must not stop reloading; health simply learns of the change on its next refresh.
            System.Diagnostics.Debug.WriteLine($"A reload listener failed: {ex.GetType().Name}");
        }
    }
}
