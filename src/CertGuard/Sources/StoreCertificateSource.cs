using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;

namespace CertGuard.Sources;

/// <summary>Certificates in an operating system store, optionally found by thumbprint or subject.</summary>
public sealed class StoreCertificateSource : CertificateSource
{
    /// <summary>Creates a store source.</summary>
    /// <param name="storeName">The store's name (<c>My</c>, <c>Root</c>, <c>CA</c>, or a custom name).</param>
    /// <param name="storeLocation">Current user or local machine.</param>
    /// <param name="thumbprint">A SHA-1 or SHA-256 thumbprint (hex) to find, or null.</param>
    /// <param name="subject">Text the subject must contain, or null.</param>
    /// <param name="name">The source name; <c>store:Location/Name</c> when null.</param>
    public StoreCertificateSource(string storeName, StoreLocation storeLocation, string? thumbprint = null, string? subject = null, string? name = null)
        : base(name ?? $"store:{storeLocation}/{storeName}")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        StoreName = storeName;
        StoreLocation = storeLocation;
        Thumbprint = thumbprint is null ? null : new string(thumbprint.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
        Subject = subject;
    }

    /// <summary>The store's name.</summary>
    public string StoreName { get; }

    /// <summary>The store's location.</summary>
    public StoreLocation StoreLocation { get; }

    /// <summary>The thumbprint to find, upper-case hex, or null.</summary>
    public string? Thumbprint { get; }

    /// <summary>Text the subject must contain, or null.</summary>
    public string? Subject { get; }

    /// <inheritdoc />
    public override string Kind => "store";

    /// <inheritdoc />
    public override string Location => $"store:{StoreLocation}/{StoreName}";

    /// <inheritdoc />
    public override ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Load());
    }

    private CertificateLoadResult Load()
    {
        try
        {
            using var store = new X509Store(StoreName, StoreLocation);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var found = new List<LoadedCertificate>();
            foreach (var certificate in store.Certificates)
            {
                if (Matches(certificate))
                {
                    found.Add(new LoadedCertificate(certificate, Location, CertificateFormat.Store)
                    {
                        Entry = certificate.Thumbprint,
                        PrivateKeyProtection = certificate.HasPrivateKey ? PrivateKeyProtection.PlatformProtected : PrivateKeyProtection.Absent,
                    });
                }
                else
                {
                    certificate.Dispose();
                }
            }

            if (found.Count == 0 && (Thumbprint is not null || Subject is not null))
            {
                return CertificateLoadResult.Failed(Location, LoadErrorReason.NotFound, $"no certificate matches {Describe()}");
            }

            return new CertificateLoadResult(found, []);
        }
        catch (CryptographicException ex)
        {
            return CertificateLoadResult.Failed(Location, LoadErrorReason.NotFound, $"the store cannot be opened ({ex.Message.TrimEnd('.')})");
        }
        catch (UnauthorizedAccessException)
        {
            return CertificateLoadResult.Failed(Location, LoadErrorReason.AccessDenied, "the store cannot be opened: access is denied");
        }
        catch (PlatformNotSupportedException ex)
        {
            return CertificateLoadResult.Failed(Location, LoadErrorReason.NotFound, $"the store does not exist on this platform ({ex.Message.TrimEnd('.')})");
        }
    }

    private bool Matches(X509Certificate2 certificate)
    {
        if (Thumbprint is not null
            && !string.Equals(certificate.Thumbprint, Thumbprint, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), Thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return Subject is null || certificate.Subject.Contains(Subject, StringComparison.OrdinalIgnoreCase);
    }

    private string Describe() => (Thumbprint, Subject) switch
    {
        ({ } t, { } s) => $"thumbprint {t} and subject '{s}'",
        ({ } t, null) => $"thumbprint {t}",
        (null, { } s) => $"subject '{s}'",
        _ => "the filter",
    };
}
