using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection.Revocation;

/// <summary>
/// Fetches a certificate's issuer from the CA Issuers URL of its authority information access extension (a DER or
/// PEM certificate, or a PKCS#7 bundle), as browsers do when a server leaves it out. A downloaded certificate is used
/// only if its key verifies the certificate's signature, so a tampered download cannot stand in for the issuer.
/// </summary>
internal sealed class IssuerDownloader
{
    private const int MaxSize = 256 * 1024;
    private readonly RevocationFetcher _fetcher;
    private readonly RevocationCache _cache;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _cacheDuration;
    private readonly CancellationToken _lifetime;
    private readonly SharedRequests<(BcCertificate[]? Certificates, string? Problem)> _requests = new();

    public IssuerDownloader(RevocationFetcher fetcher, RevocationCache cache, TimeProvider timeProvider, TimeSpan cacheDuration, CancellationToken lifetime)
    {
        _fetcher = fetcher;
        _cache = cache;
        _timeProvider = timeProvider;
        _cacheDuration = cacheDuration;
        _lifetime = lifetime;
    }

    public async Task<(BcCertificate? Issuer, string? Problem)> FindAsync(Uri url, BcCertificate subject, RevocationCheckMode mode, CancellationToken cancellationToken)
    {
        var key = "issuer|" + url.AbsoluteUri;
        if (_cache.TryGet<BcCertificate[]>(key, out var cached, out var freshUntil) && (freshUntil > _timeProvider.GetUtcNow() || mode == RevocationCheckMode.Offline))
        {
            return Pick(cached, subject, url);
        }

        if (mode == RevocationCheckMode.Offline)
        {
            return (null, $"no cached issuer certificate from {url} (offline mode)");
        }

        var downloaded = await _requests.RunAsync(key, () => DownloadAsync(url, key)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return downloaded.Certificates is { } certificates ? Pick(certificates, subject, url) : (null, downloaded.Problem);
    }

    private static (BcCertificate? Issuer, string? Problem) Pick(BcCertificate[] candidates, BcCertificate subject, Uri url) =>
        candidates.FirstOrDefault(c => IssuerLocator.Issued(c, subject)) is { } issuer
            ? (issuer, null)
            : (null, $"the certificate downloaded from {url} did not issue this certificate");

    private async Task<(BcCertificate[]? Certificates, string? Problem)> DownloadAsync(Uri url, string key)
    {
        var fetched = await _fetcher.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), "CA issuers server", url, MaxSize, _lifetime).ConfigureAwait(false);
        if (fetched.Body is null)
        {
            return (null, fetched.Problem);
        }

        BcCertificate[] certificates;
        try
        {
            certificates = [.. new X509CertificateParser().ReadCertificates(fetched.Body)];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            certificates = [];
        }

        if (certificates.Length == 0)
        {
            return (null, $"CA issuers server {url} sent no certificate");
        }

        _cache.Set(key, certificates, _timeProvider.GetUtcNow() + _cacheDuration);
        return (certificates, null);
    }
}
