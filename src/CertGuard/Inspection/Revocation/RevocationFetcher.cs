using System.Globalization;
using System.Net.Sockets;

namespace CertGuard.Inspection.Revocation;

/// <summary>
/// Sends one HTTP request to an OCSP responder or CRL server within a time limit and a size limit, and turns every
/// failure into a sentence that names the URL: the revocation check must never throw for a misbehaving server.
/// A server that failed is not asked again for a while, so a hanging responder costs one timeout, not one per certificate.
/// </summary>
internal sealed class RevocationFetcher
{
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly RevocationCache _failures;
    private readonly TimeSpan _retryInterval;

    public RevocationFetcher(HttpClient client, TimeSpan timeout, TimeProvider timeProvider, RevocationCache failures, TimeSpan retryInterval)
    {
        _client = client;
        _timeout = timeout;
        _timeProvider = timeProvider;
        _failures = failures;
        _retryInterval = retryInterval;
    }

    /// <param name="request">The request; disposed here.</param>
    /// <param name="what">Who is asked, for messages: <c>OCSP responder</c>, <c>CRL server</c>.</param>
    /// <param name="displayUrl">The URL as the certificate names it, for messages.</param>
    /// <param name="maxBytes">The largest body accepted.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<FetchResult> SendAsync(HttpRequestMessage request, string what, Uri displayUrl, long maxBytes, CancellationToken cancellationToken)
    {
        using var _ = request;
        var failureKey = "failed|" + displayUrl.AbsoluteUri;
        if (_failures.TryGet<string>(failureKey, out var failure, out var retryAt) && retryAt > _timeProvider.GetUtcNow())
        {
            return FetchResult.Failure($"{failure}; not asked again until {retryAt.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");
        }

        var result = await ExchangeAsync(request, what, displayUrl, maxBytes, cancellationToken).ConfigureAwait(false);
        if (result.Problem is { } problem && _retryInterval > TimeSpan.Zero)
        {
            _failures.Set(failureKey, problem, _timeProvider.GetUtcNow() + _retryInterval);
        }

        return result;
    }

    private async Task<FetchResult> ExchangeAsync(HttpRequestMessage request, string what, Uri displayUrl, long maxBytes, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return FetchResult.Failure($"{what} {displayUrl} answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase ?? response.StatusCode.ToString()})");
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return FetchResult.Failure($"{what} {displayUrl} sent {response.Content.Headers.ContentLength} bytes, more than the limit of {maxBytes}");
            }

            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var body = await ReadBoundedAsync(stream, maxBytes, linked.Token).ConfigureAwait(false);
                return body switch
                {
                    null => FetchResult.Failure($"{what} {displayUrl} sent more than the limit of {maxBytes} bytes"),
                    { Length: 0 } => FetchResult.Failure($"{what} {displayUrl} sent an empty body"),
                    _ => FetchResult.Success(body),
                };
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failure($"{what} {displayUrl} did not answer within {_timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException ex)
        {
            return FetchResult.Failure($"{what} {displayUrl} {Describe(ex)}");
        }
        catch (IOException)
        {
            return FetchResult.Failure($"{what} {displayUrl} closed the connection before the answer was complete");
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Describe(HttpRequestException ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "refused the connection",
            SocketError.HostNotFound or SocketError.NoData => "could not be found (DNS)",
            SocketError.TimedOut => "could not be reached (connection timed out)",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "could not be reached (no route)",
            _ => ex.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "could not be found (DNS)",
                HttpRequestError.SecureConnectionError => "failed the TLS handshake",
                HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "sent an invalid HTTP response",
                HttpRequestError.ConnectionError => "could not be connected to",
                _ => $"failed ({ex.HttpRequestError})",
            },
        };
    }
}
