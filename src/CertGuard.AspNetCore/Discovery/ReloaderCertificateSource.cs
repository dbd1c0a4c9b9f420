using System.Security.Cryptography.X509Certificates;
using CertGuard.AspNetCore.Reload;
using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.AspNetCore.Discovery;

/// <summary>
/// The certificate a <see cref="ServerCertificateReloader"/> serves for one set of files, judged as what is in use:
/// its own expiry decides <c>Unhealthy</c>. A replacement the reloader refused (garbage, expired, key mismatch) is a
/// <c>reload-rejected</c> warning on it naming the file and the reason, never a verdict of its own, so a node that
/// still serves a valid certificate stays in the load balancer.
/// </summary>
internal sealed class ReloaderCertificateSource : CertificateSource
{
    private readonly ReloadingCertificate _certificate;

    public ReloaderCertificateSource(ReloadingCertificate certificate, string name)
        : base(name)
    {
        _certificate = certificate;
    }

    public override string Kind => "reloader";

    /// <summary>The certificate file, as configured.</summary>
    public override string Location => _certificate.Files.CertificatePath;

    /// <summary>The certificate's files: the monitor looks again when they change (the reloader also says so).</summary>
    public override IReadOnlyList<string> WatchedPaths => _certificate.Files.Paths.ToList();

    public override ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        // Read the rejection first: a reload between the two reads then shows the new certificate without the old
        // rejection, never the old certificate without it.
        var rejection = _certificate.Rejection;
        var serving = _certificate.Serving;

        // Copies: the scan disposes what it is given, and Kestrel keeps serving the originals.
        var loaded = new LoadedCertificate(X509CertificateLoader.LoadCertificate(serving.Certificate.RawData), Location, serving.Format)
        {
            // As read from the files when they were accepted: an unencrypted key is judged by who may read its file.
            PrivateKeyProtection = serving.KeyProtection,
            PrivateKeyFileMode = serving.KeyFileMode,
            PresentedChain = serving.Chain.Select(c => X509CertificateLoader.LoadCertificate(c.RawData)).ToList(),
            ReportedFindings = rejection is null ? [] : [rejection],
        };
        return ValueTask.FromResult(new CertificateLoadResult([loaded], []));
    }
}
