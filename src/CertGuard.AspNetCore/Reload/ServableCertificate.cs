using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.AspNetCore.Reload;

/// <summary>A certificate that passed every check and is ready to serve, with the chain to send after it.</summary>
internal sealed class ServableCertificate
{
    public ServableCertificate(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, CertificateFacts facts, CertificateFormat format)
    {
        Certificate = certificate;
        Chain = chain;
        Facts = facts;
        Format = format;
        Context = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(chain.ToArray()), offline: true);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The intermediates the file holds after the certificate, sent in every handshake.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    public SslStreamCertificateContext Context { get; }

    public CertificateFormat Format { get; }

    public CertificateFacts Facts { get; }

    /// <summary>How the key was stored in the files it was read from (unencrypted PEM, a password-protected PFX).</summary>
    public PrivateKeyProtection KeyProtection { get; init; } = PrivateKeyProtection.Unknown;

    /// <summary>The Unix permissions of the file the key was read from, when it was stored unencrypted.</summary>
    public UnixFileMode? KeyFileMode { get; init; }
}
