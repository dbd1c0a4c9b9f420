using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;
using CertGuard.Sources;

namespace CertGuard.Loading;

/// <summary>One certificate as it was found: the certificate, where it came from, and what came with it.</summary>
public sealed class LoadedCertificate
{
    /// <summary>Creates a loaded certificate.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="location">The file, store or endpoint it was found in.</param>
    /// <param name="format">How it was encoded there.</param>
    public LoadedCertificate(X509Certificate2 certificate, string location, CertificateFormat format)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(location);
        Handle = new CertificateHandle(certificate);
        Location = location;
        Format = format;
    }

    /// <summary>A loaded certificate over a handle: DER whose platform certificate is created on first use, or a copy sharing another's.</summary>
    internal LoadedCertificate(CertificateHandle handle, string location, CertificateFormat format)
    {
        Handle = handle;
        Location = location;
        Format = format;
    }

    /// <summary>The certificate; created from the loaded bytes on first access when the loader did not need one.</summary>
    /// <exception cref="ObjectDisposedException">It was never created and the <see cref="CertificateLoadResult"/> holding it was disposed.</exception>
    public X509Certificate2 Certificate => Handle.Certificate;

    /// <summary>The DER, the fields and the (lazily created) platform certificate, shared with copies of this one.</summary>
    internal CertificateHandle Handle { get; }

    /// <summary>The fields the inspector reports, read without a platform certificate where the managed parser can.</summary>
    internal CertificateFields Fields => Handle.Fields;

    /// <summary>The file, store or endpoint the certificate was found in.</summary>
    public string Location { get; }

    /// <summary>The entry inside a bundle (<c>2</c> for the second certificate, or a keystore alias), or <see langword="null"/> for a lone certificate.</summary>
    public string? Entry { get; init; }

    /// <summary>How the certificate was encoded.</summary>
    public CertificateFormat Format { get; }

    /// <summary>Whether a private key came with the certificate, and how it was protected.</summary>
    public PrivateKeyProtection PrivateKeyProtection { get; init; }

    /// <summary>
    /// The Unix permissions of the file the private key was read from, or <see langword="null"/> when it came from no
    /// file (bytes, a store, an endpoint) or the platform has no Unix permissions (Windows).
    /// </summary>
    public UnixFileMode? PrivateKeyFileMode { get; internal set; }

    /// <summary>
    /// Whether this certificate is part of another certificate's chain in the same bundle (the intermediate of a
    /// <c>fullchain.pem</c>), rather than a certificate in use on its own.
    /// </summary>
    public bool IsChainMember { get; init; }

    /// <summary>Whether a private key came with the certificate.</summary>
    public bool HasPrivateKey => PrivateKeyProtection != PrivateKeyProtection.Absent;

    /// <summary>
    /// The other certificates presented with this one, in the order they were found (a PEM full chain,
    /// a PFX or keystore chain, or the chain a TLS server sent). Empty for a lone certificate and for
    /// every bundle entry but the first.
    /// </summary>
    public IReadOnlyList<X509Certificate2> PresentedChain { get; init; } = [];

    /// <summary>The TLS connection the certificate was served on, when it came from an endpoint.</summary>
    public TlsConnectionInfo? Connection { get; init; }

    /// <summary>
    /// The certificate configured to be served where this one was observed (the file or store entry a server was told
    /// to use), when a source compared the two; <see langword="null"/> otherwise.
    /// </summary>
    public CertificateSummary? ConfiguredCertificate { get; init; }

    /// <summary>
    /// Findings the source itself made about this certificate, which the policy cannot see in its facts (a server that
    /// refused to reload a replacement and kept serving this one); added to the policy's findings. Empty by default.
    /// </summary>
    public IReadOnlyList<Policy.Finding> ReportedFindings { get; init; } = [];

    /// <summary>The location with the entry, as a person would name it: <c>certs/chain.pem#2</c>.</summary>
    public string DisplayLocation => Entry is null ? Location : $"{Location}#{Entry}";

    /// <inheritdoc />
    public override string ToString() => $"{DisplayLocation}: {Handle.Subject}";
}
