using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;

namespace CertGuard.Sources;

/// <summary>
/// A certificate the application already holds (a client certificate for a downstream API, a signing certificate).
/// The source does not own the certificate: it never disposes it.
/// </summary>
public sealed class InMemoryCertificateSource : CertificateSource
{
    private readonly Func<X509Certificate2?> _certificate;

    /// <summary>Creates a source for a certificate that does not change.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="name">The source name.</param>
    public InMemoryCertificateSource(X509Certificate2 certificate, string name)
        : this(() => certificate ?? throw new ArgumentNullException(nameof(certificate)), name)
    {
    }

    /// <summary>Creates a source that asks for the current certificate on every load, so a rotated certificate is seen.</summary>
    /// <param name="certificate">Returns the certificate in use, or null when there is none.</param>
    /// <param name="name">The source name.</param>
    public InMemoryCertificateSource(Func<X509Certificate2?> certificate, string name)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificate = certificate;
    }

    /// <inheritdoc />
    public override string Kind => "memory";

    /// <inheritdoc />
    public override string Location => $"memory:{Name}";

    /// <inheritdoc />
    public override ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        var current = _certificate();
        if (current is null)
        {
            return ValueTask.FromResult(CertificateLoadResult.Failed(Location, LoadErrorReason.NotFound, "no certificate is set"));
        }

        // A copy, so that disposing the load result leaves the application's certificate alone.
        var copy = X509CertificateLoader.LoadCertificate(current.RawData);
        var loaded = new LoadedCertificate(copy, Location, CertificateFormat.Instance)
        {
            PrivateKeyProtection = current.HasPrivateKey ? PrivateKeyProtection.Unknown : PrivateKeyProtection.Absent,
        };
        return ValueTask.FromResult(new CertificateLoadResult([loaded], []));
    }
}
