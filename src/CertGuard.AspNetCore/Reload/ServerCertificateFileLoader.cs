using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.AspNetCore.Reload;

/// <summary>
/// Reads server certificate files (PEM certificate and key, or PKCS#12) into a certificate Kestrel can serve, and
/// checks it: it loads, its key matches, it is within its validity and, when asked, its chain is trusted.
/// </summary>
internal sealed class ServerCertificateFileLoader
{
    private readonly CertificateInspector _inspector;
    private readonly TimeProvider _timeProvider;
    private readonly ChainTrust _trust;
    private readonly TimeSpan _clockSkewTolerance;

    public ServerCertificateFileLoader(TimeProvider timeProvider, ChainTrust trust, TimeSpan clockSkewTolerance)
    {
        _timeProvider = timeProvider;
        _inspector = new CertificateInspector(timeProvider);
        _trust = trust;
        _clockSkewTolerance = clockSkewTolerance;
    }

    /// <summary>Reads the files and checks what they hold.</summary>
    /// <param name="files">The files.</param>
    /// <param name="checkValidity">Whether to refuse an expired, not yet valid or untrusted certificate (not at start, where anything loadable beats nothing).</param>
    public LoadAttempt Load(CertificateFiles files, bool checkValidity)
    {
        // CertGuard's loader first: its errors name the file and the reason (corrupt, wrong password, key mismatch).
        CertificateFormat format;
        PrivateKeyProtection keyProtection;
        UnixFileMode? keyFileMode;
        using (var diagnosis = CertificateLoader.LoadFile(files.CertificatePath, new CertificateLoadOptions
        {
            KeyPath = files.KeyPath,
            Passwords = files.Password is null ? [] : [files.Password],
        }))
        {
            if (diagnosis.Errors.Count > 0)
            {
                var error = diagnosis.Errors[0];
                return LoadAttempt.Rejected(ReasonOf(error.Reason), $"{error.Location}: {error.Message}");
            }

            if (diagnosis.Certificates.Count == 0)
            {
                return LoadAttempt.Rejected(ReloadRejectionReason.Unreadable, $"{files.CertificatePath}: holds no certificate");
            }

            format = diagnosis.Certificates[0].Format;

            // How the key was stored, and who may read its file: what the policy judges an exposed key by.
            var keyed = diagnosis.Certificates.FirstOrDefault(c => c.HasPrivateKey);
            keyProtection = keyed?.PrivateKeyProtection ?? PrivateKeyProtection.Absent;
            keyFileMode = keyed?.PrivateKeyFileMode;
        }

        X509Certificate2 leaf;
        List<X509Certificate2> chain;
        try
        {
            (leaf, chain) = format switch
            {
                CertificateFormat.Pem => ReadPem(files),
                CertificateFormat.Pkcs12 => ReadPkcs12(files),
                _ => (null!, null!),
            };
        }
        catch (CryptographicException ex)
        {
            return LoadAttempt.Rejected(ReloadRejectionReason.NoPrivateKey, $"{files}: cannot be used to serve TLS ({ex.Message})");
        }

        if (leaf is null)
        {
            return LoadAttempt.Rejected(ReloadRejectionReason.UnsupportedFormat, $"{files.CertificatePath}: is {format}; a server certificate needs PEM (certificate and key) or PKCS#12");
        }

        if (!leaf.HasPrivateKey)
        {
            Dispose(leaf, chain);
            return LoadAttempt.Rejected(ReloadRejectionReason.NoPrivateKey, $"{files}: holds no private key for the certificate");
        }

        var facts = _inspector.Inspect(new LoadedCertificate(leaf, files.CertificatePath, format) { PresentedChain = chain }, checkValidity ? _trust : ChainTrust.None);
        var rejection = checkValidity ? Judge(facts, _timeProvider.GetUtcNow()) : null;
        if (rejection is not null)
        {
            Dispose(leaf, chain);
            return LoadAttempt.Rejected(rejection.Value.Reason, $"{files.CertificatePath}: {rejection.Value.Problem}");
        }

        return LoadAttempt.Accepted(new ServableCertificate(leaf, chain, facts, format) { KeyProtection = keyProtection, KeyFileMode = keyFileMode });
    }

    private (ReloadRejectionReason Reason, string Problem)? Judge(CertificateFacts facts, DateTimeOffset now)
    {
        // Clients with a right clock accept a certificate dated at issuance; only this host's lagging clock would refuse it.
        if (now + _clockSkewTolerance < facts.NotBefore)
        {
            return (ReloadRejectionReason.NotYetValid, $"the certificate {facts.ThumbprintSha256} is not valid until {Format(facts.NotBefore)}, "
                + $"beyond the clock-skew tolerance of {_clockSkewTolerance} (this host reads {Format(now)})");
        }

        if (now >= facts.NotAfter)
        {
            return (ReloadRejectionReason.Expired, $"the certificate {facts.ThumbprintSha256} expired on {Format(facts.NotAfter)}");
        }

        if (facts.Chain is { IsTrusted: false } chain)
        {
            return (ReloadRejectionReason.UntrustedChain, $"the certificate {facts.ThumbprintSha256} has an untrusted chain ({string.Join(", ", chain.Problems)})");
        }

        return null;
    }

    private static (X509Certificate2, List<X509Certificate2>) ReadPem(CertificateFiles files)
    {
        var keyPath = files.KeyPath ?? files.CertificatePath;
        var encrypted = File.ReadAllText(keyPath).Contains("ENCRYPTED", StringComparison.Ordinal);
        var leaf = encrypted
            ? X509Certificate2.CreateFromEncryptedPemFile(files.CertificatePath, files.Password ?? string.Empty, keyPath)
            : X509Certificate2.CreateFromPemFile(files.CertificatePath, keyPath);
        if (OperatingSystem.IsWindows())
        {
            // Keys read from PEM are ephemeral, which Windows' TLS stack cannot use: a PKCS#12 round trip persists them.
            using var ephemeral = leaf;
            leaf = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }

        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(files.CertificatePath);
        var chain = all.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)).ToList();
        return (leaf, chain);
    }

    private static (X509Certificate2, List<X509Certificate2>) ReadPkcs12(CertificateFiles files)
    {
        var flags = OperatingSystem.IsLinux() ? X509KeyStorageFlags.EphemeralKeySet : X509KeyStorageFlags.DefaultKeySet;
        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(files.CertificatePath, files.Password, flags);
        var leaf = all.FirstOrDefault(c => c.HasPrivateKey) ?? all[0];
        return (leaf, all.Where(c => !ReferenceEquals(c, leaf)).ToList());
    }

    private static ReloadRejectionReason ReasonOf(LoadErrorReason reason) => reason switch
    {
        LoadErrorReason.KeyMismatch => ReloadRejectionReason.KeyMismatch,
        LoadErrorReason.WrongPassword or LoadErrorReason.PasswordRequired => ReloadRejectionReason.WrongPassword,
        LoadErrorReason.UnsupportedFormat => ReloadRejectionReason.UnsupportedFormat,
        _ => ReloadRejectionReason.Unreadable,
    };

    private static void Dispose(X509Certificate2 leaf, List<X509Certificate2> chain)
    {
        leaf.Dispose();
        chain.ForEach(c => c.Dispose());
    }

    private static string Format(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
