using System.Security.Cryptography.X509Certificates;
using CertGuard.Inspection;

namespace CertGuard.Loading;

/// <summary>
/// One certificate's DER and fields, with the platform certificate created only when something asks for it (chain
/// building, key matching, TLS): creating it costs about thirty times what reading the fields does on Linux. Copies of
/// a <see cref="LoadedCertificate"/> (a bundle's leaf given its chain, a certificate given its key) share one handle,
/// so they share one platform certificate, created at most once and disposed once.
/// </summary>
internal sealed class CertificateHandle
{
    private readonly object _gate = new();
    private readonly byte[]? _der;
    private CertificateFields? _fields;
    private X509Certificate2? _certificate;
    private bool _disposed;

    /// <summary>A handle over a platform certificate that already exists.</summary>
    public CertificateHandle(X509Certificate2 certificate)
    {
        _certificate = certificate;
    }

    /// <summary>A handle over DER whose fields the managed parser has read; the platform certificate comes later, if ever.</summary>
    public CertificateHandle(byte[] der, CertificateFields fields)
    {
        _der = der;
        _fields = fields;
    }

    /// <summary>The platform certificate, created on first use.</summary>
    /// <exception cref="ObjectDisposedException">The certificate was never created and its load result was disposed.</exception>
    public X509Certificate2 Certificate
    {
        get
        {
            if (Volatile.Read(ref _certificate) is { } created)
            {
                return created;
            }

            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed && _certificate is null, this);
                return _certificate ??= X509CertificateLoader.LoadCertificate(_der!);
            }
        }
    }

    /// <summary>The platform certificate if it has been created, without creating it.</summary>
    public X509Certificate2? CreatedCertificate => Volatile.Read(ref _certificate);

    /// <summary>The fields, read once.</summary>
    public CertificateFields Fields
    {
        get
        {
            if (Volatile.Read(ref _fields) is { } fields)
            {
                return fields;
            }

            // Two threads may both read; the results are equal, and one wins.
            var read = CertificateFieldReader.Read(Certificate);
            Interlocked.CompareExchange(ref _fields, read, null);
            return _fields!;
        }
    }

    /// <summary>The certificate's subject, for display, without creating a platform certificate.</summary>
    public string Subject => _fields?.Subject ?? Certificate.Subject;

    /// <summary>Refuses to create a platform certificate from now on (its load result is being disposed).</summary>
    /// <returns>The platform certificate for the caller to dispose, or <see langword="null"/> when none was created.</returns>
    public X509Certificate2? Release()
    {
        lock (_gate)
        {
            _disposed = true;
            return _certificate;
        }
    }
}
