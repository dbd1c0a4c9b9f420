using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Loading;

/// <summary>
/// What a source gave: the certificates it held and the reasons for anything it could not load.
/// Disposing the result disposes the certificates it loaded.
/// </summary>
public sealed class CertificateLoadResult : IDisposable
{
    /// <summary>Creates a result.</summary>
    /// <param name="certificates">The certificates loaded.</param>
    /// <param name="errors">What could not be loaded, and why.</param>
    public CertificateLoadResult(IReadOnlyList<LoadedCertificate> certificates, IReadOnlyList<LoadError> errors)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(errors);
        Certificates = certificates;
        Errors = errors;
    }

    /// <summary>A result with nothing in it.</summary>
    public static CertificateLoadResult Empty { get; } = new([], []);

    /// <summary>The certificates loaded, in the order they were found.</summary>
    public IReadOnlyList<LoadedCertificate> Certificates { get; }

    /// <summary>What could not be loaded, and why.</summary>
    public IReadOnlyList<LoadError> Errors { get; }

    /// <summary>Creates a result holding a single error.</summary>
    /// <param name="location">What failed.</param>
    /// <param name="reason">Why.</param>
    /// <param name="message">A one-line explanation.</param>
    /// <returns>The result.</returns>
    public static CertificateLoadResult Failed(string location, LoadErrorReason reason, string message) =>
        new([], [new LoadError(location, reason, message)]);

    /// <summary>Combines several results into one, keeping their order.</summary>
    /// <param name="results">The results to combine.</param>
    /// <returns>The combined result.</returns>
    public static CertificateLoadResult Combine(IEnumerable<CertificateLoadResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var certificates = new List<LoadedCertificate>();
        var errors = new List<LoadError>();
        foreach (var result in results)
        {
            certificates.AddRange(result.Certificates);
            errors.AddRange(result.Errors);
        }

        return new CertificateLoadResult(certificates, errors);
    }

    /// <summary>Disposes every certificate this result loaded, including presented chains.</summary>
    public void Dispose()
    {
        // Bundle entries share certificate objects with the leaf's presented chain.
        var disposed = new HashSet<X509Certificate2>(ReferenceEqualityComparer.Instance);
        foreach (var loaded in Certificates)
        {
            // A certificate read by the managed parser alone has no platform certificate to dispose, and gets none now.
            if (loaded.Handle.Release() is { } created && disposed.Add(created))
            {
                created.Dispose();
            }

            foreach (var presented in loaded.PresentedChain)
            {
                if (disposed.Add(presented))
                {
                    presented.Dispose();
                }
            }
        }
    }
}
