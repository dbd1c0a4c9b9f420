using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CertGuard.Loading;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection.Revocation;

/// <summary>
/// Checks revocation with OCSP (RFC 6960) and CRLs (RFC 5280), parsed and verified with BouncyCastle, because the
/// platform neither exposes OCSP answers nor CRL freshness. Answers are cached until their <c>nextUpdate</c>, and
/// concurrent checks share downloads. Every failure (a responder down, hanging, lying or stale) becomes an
/// <see cref="RevocationStatus.Unknown"/> answer with a problem that names the URL; nothing throws but cancellation.
/// </summary>
public sealed class OcspCrlRevocationChecker : IRevocationChecker, IDisposable
{
    // A stale CRL is retried this often: the CA may publish the overdue one at any moment.
    private static readonly TimeSpan StaleCrlRetry = TimeSpan.FromMinutes(5);

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly TimeProvider _timeProvider;
    private readonly RevocationFetcher _fetcher;
    private readonly RevocationCache _cache;
    private readonly RevocationCache _issuers;
    private readonly IssuerDownloader _issuerDownloader;
    private readonly SharedRequests<OcspVerdict> _ocspRequests = new();
    private readonly SharedRequests<(VerifiedCrl? Crl, string? Problem)> _crlRequests = new();
    private readonly CancellationTokenSource _lifetime = new();

    /// <summary>Creates a checker.</summary>
    /// <param name="httpClient">
    /// The client to send requests with, not disposed with the checker (its own timeout should be no shorter than
    /// <see cref="RevocationCheckerOptions.RequestTimeout"/>); when null, the checker creates one and disposes it.
    /// </param>
    /// <param name="options">Limits and choices; the defaults when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public OcspCrlRevocationChecker(HttpClient? httpClient = null, RevocationCheckerOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options?.Copy() ?? new RevocationCheckerOptions();
        var problems = Options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _ownsHttpClient = httpClient is null;
        _httpClient = httpClient ?? CreateHttpClient();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _cache = new RevocationCache(Options.CacheSize);
        _issuers = new RevocationCache(Options.CacheSize);
        _fetcher = new RevocationFetcher(_httpClient, Options.RequestTimeout, _timeProvider, _cache, Options.FailureRetryInterval);
        _issuerDownloader = new IssuerDownloader(_fetcher, _cache, _timeProvider, Options.CacheDurationWithoutNextUpdate, _lifetime.Token);
    }

    /// <summary>The limits and choices in force: a copy of those given, taken at construction.</summary>
    public RevocationCheckerOptions Options { get; }

    /// <summary>How many OCSP answers and CRLs are cached.</summary>
    internal int CachedCount => _cache.Count;

    /// <inheritdoc />
    public async ValueTask<RevocationFacts?> CheckAsync(LoadedCertificate certificate, CertificateFacts facts, RevocationCheckMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(facts);
        ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
        if (mode == RevocationCheckMode.Off || facts.IsSelfSigned || (facts.OcspUrls.Count == 0 && facts.CrlDistributionPoints.Count == 0))
        {
            return null;
        }

        var problems = new List<string>();
        var ocspUrls = Usable(facts.OcspUrls, "OCSP responder", problems);
        var crlUrls = Usable(facts.CrlDistributionPoints, "CRL", problems);
        if (IssuerLocator.Parse(certificate.Certificate.RawData) is not { } subject)
        {
            return Unknown([.. problems, "the certificate cannot be parsed for a revocation check"]);
        }

        using var budget = new CancellationTokenSource(Options.TotalTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token, _lifetime.Token);
        BcCertificate issuer;
        try
        {
            if (await FindIssuerAsync(certificate, subject, facts, mode, problems, linked.Token).ConfigureAwait(false) is not { } found)
            {
                return Unknown(problems);
            }

            issuer = found;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unknown([.. problems, BudgetExceeded()]);
        }

        var attempts = new List<Func<CancellationToken, Task<RevocationFacts>>>();
        var ocsp = ocspUrls.Select(url => (Func<CancellationToken, Task<RevocationFacts>>)(token => AskOcspAsync(url, subject, issuer, mode, token)));
        var crl = crlUrls.Select(url => (Func<CancellationToken, Task<RevocationFacts>>)(token => AskCrlAsync(url, subject, issuer, mode, token)));
        attempts.AddRange(Options.PreferOcsp ? ocsp.Concat(crl) : crl.Concat(ocsp));

        foreach (var attempt in attempts)
        {
            RevocationFacts answer;
            try
            {
                answer = await attempt(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problems.Add(BudgetExceeded());
                break;
            }

            if (answer.Status != RevocationStatus.Unknown)
            {
                return answer with { Problems = [.. problems, .. answer.Problems] };
            }

            problems.AddRange(answer.Problems);
        }

        return Unknown(problems.Count > 0 ? problems : ["no OCSP responder or CRL gave an answer"]);
    }

    /// <summary>Stops requests under way and, when the checker created its <see cref="HttpClient"/>, disposes it.</summary>
    public void Dispose()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }

        // Cancelled but not disposed: requests still under way read its token, and it holds no timer.
        _lifetime.Cancel();
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private async Task<BcCertificate?> FindIssuerAsync(LoadedCertificate certificate, BcCertificate subject, CertificateFacts facts, RevocationCheckMode mode, List<string> problems, CancellationToken cancellationToken)
    {
        // Verifying the signature is most of a cached check's cost; the issuer of given certificate bytes never changes.
        var issuerKey = "issuer-of|" + certificate.Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        if (_issuers.TryGet<BcCertificate>(issuerKey, out var known, out _))
        {
            return known;
        }

        var issuer = await LocateIssuerAsync(certificate, subject, facts, mode, problems, cancellationToken).ConfigureAwait(false);
        if (issuer is not null)
        {
            _issuers.Set(issuerKey, issuer, DateTimeOffset.MaxValue);
        }

        return issuer;
    }

    private async Task<BcCertificate?> LocateIssuerAsync(LoadedCertificate certificate, BcCertificate subject, CertificateFacts facts, RevocationCheckMode mode, List<string> problems, CancellationToken cancellationToken)
    {
        if (IssuerLocator.Find(certificate, subject) is { } presented)
        {
            return presented;
        }

        var downloadProblems = new List<string>();
        foreach (var url in Usable(facts.CaIssuerUrls, "CA issuers", downloadProblems))
        {
            var (issuer, problem) = await _issuerDownloader.FindAsync(url, subject, mode, cancellationToken).ConfigureAwait(false);
            if (issuer is not null)
            {
                return issuer;
            }

            downloadProblems.Add(problem!);
        }

        var tried = downloadProblems.Count == 0 ? string.Empty : $"; {string.Join("; ", downloadProblems)}";
        problems.Add($"issuer certificate not available: '{facts.Issuer}' was not presented with the certificate, among the trust anchors given, nor found in the system's stores{tried}");
        return null;
    }

    private async Task<RevocationFacts> AskOcspAsync(Uri url, BcCertificate subject, BcCertificate issuer, RevocationCheckMode mode, CancellationToken cancellationToken)
    {
        var id = OcspRequest.IdOf(subject, issuer);
        var key = string.Join('|', "ocsp", url.AbsoluteUri, Convert.ToHexString(id.GetIssuerNameHash()), Convert.ToHexString(id.GetIssuerKeyHash()), id.SerialNumber.ToString(16));
        if (_cache.TryGet<RevocationFacts>(key, out var cached, out var freshUntil) && freshUntil > _timeProvider.GetUtcNow())
        {
            return cached;
        }

        if (mode == RevocationCheckMode.Offline)
        {
            return Unknown([$"no cached answer from OCSP responder {url} (offline mode)"]);
        }

        var verdict = await _ocspRequests.RunAsync(key, () => QueryOcspAsync(url, id, issuer, key)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return verdict.Facts;
    }

    private async Task<OcspVerdict> QueryOcspAsync(Uri url, Org.BouncyCastle.Ocsp.CertificateID id, BcCertificate issuer, string key)
    {
        var request = OcspRequest.Create(id);
        HttpRequestMessage message;
        if (Options.UseHttpGet && request.Encoded.Length < OcspRequest.MaxGetSize)
        {
            message = new HttpRequestMessage(HttpMethod.Get, request.GetUri(url));
        }
        else
        {
            message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(request.Encoded) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        }

        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/ocsp-response"));
        var fetched = await _fetcher.SendAsync(message, "OCSP responder", url, Options.MaxOcspResponseSize, _lifetime.Token).ConfigureAwait(false);
        if (fetched.Body is null)
        {
            return new OcspVerdict(Unknown([fetched.Problem!]), Trusted: false);
        }

        var now = _timeProvider.GetUtcNow();
        var verdict = OcspResponseReader.Read(fetched.Body, request, issuer, url, now, Options.ClockSkew);
        if (verdict.Trusted)
        {
            var freshUntil = verdict.Facts.NextUpdate ?? now + Options.CacheDurationWithoutNextUpdate;
            if (freshUntil > now)
            {
                _cache.Set(key, verdict.Facts, freshUntil);
            }
        }

        return verdict;
    }

    private async Task<RevocationFacts> AskCrlAsync(Uri url, BcCertificate subject, BcCertificate issuer, RevocationCheckMode mode, CancellationToken cancellationToken)
    {
        var key = string.Join('|', "crl", url.AbsoluteUri, Convert.ToHexString(SHA256.HashData(issuer.SubjectPublicKeyInfo.GetEncoded())));
        var cachedNow = _cache.TryGet<VerifiedCrl>(key, out var crl, out var freshUntil);
        var problems = new List<string>();
        if (!cachedNow || (freshUntil <= _timeProvider.GetUtcNow() && mode == RevocationCheckMode.Online))
        {
            if (mode == RevocationCheckMode.Offline)
            {
                return Unknown([$"no cached CRL from {url} (offline mode)"]);
            }

            var downloaded = await _crlRequests.RunAsync(key, () => DownloadCrlAsync(url, issuer, key)).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (downloaded.Crl is not null)
            {
                crl = downloaded.Crl;
            }
            else if (!cachedNow)
            {
                return Unknown([downloaded.Problem!]);
            }
            else
            {
                problems.Add($"{downloaded.Problem}; used the copy downloaded earlier");
            }
        }

        var facts = CrlReader.Lookup(crl, subject.SerialNumber, url, _timeProvider.GetUtcNow());
        return problems.Count == 0 ? facts : facts with { Problems = problems };
    }

    private async Task<(VerifiedCrl? Crl, string? Problem)> DownloadCrlAsync(Uri url, BcCertificate issuer, string key)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, url);
        var fetched = await _fetcher.SendAsync(message, "CRL server", url, Options.MaxCrlSize, _lifetime.Token).ConfigureAwait(false);
        if (fetched.Body is null)
        {
            return (null, fetched.Problem);
        }

        var now = _timeProvider.GetUtcNow();
        var read = CrlReader.Read(fetched.Body, issuer, url, now, Options.ClockSkew);
        if (read.Crl is { } crl)
        {
            var freshUntil = crl.NextUpdate switch
            {
                null => now + Options.CacheDurationWithoutNextUpdate,
                { } due when due > now => due,
                _ => now + StaleCrlRetry,
            };
            _cache.Set(key, crl, freshUntil);
        }

        return read;
    }

    private static List<Uri> Usable(IReadOnlyList<string> urls, string what, List<string> problems)
    {
        var usable = new List<Uri>();
        foreach (var url in urls.Distinct(StringComparer.Ordinal))
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                usable.Add(uri);
            }
            else
            {
                problems.Add($"{what} URL '{url}' is not an http or https URL and was skipped");
            }
        }

        return usable;
    }

    private string BudgetExceeded() => $"the revocation check did not finish within its budget of {Seconds(Options.TotalTimeout)} s";

    private static RevocationFacts Unknown(IReadOnlyList<string> problems) => new() { Status = RevocationStatus.Unknown, Problems = problems };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static HttpClient CreateHttpClient() => new(CreateHandler())
    {
        // Each request carries its own timeout (RevocationCheckerOptions.RequestTimeout).
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The handler the checker's own client uses, and the named client's default primary handler.</summary>
    internal static SocketsHttpHandler CreateHandler() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxAutomaticRedirections = 3,
        MaxResponseHeadersLength = 64,
    };
}
