using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CertGuard.Benchmarks.HealthPollContrast;

/// <summary>
/// The contrast for the health-poll load test: a check that, like the ecosystem's SSL health check
/// (AspNetCore.HealthChecks.Network's <c>SslHealthCheck</c>), opens a TCP connection and a TLS handshake to every
/// endpoint, one after the other, on every poll, validates the presented chain and compares its expiry with the clock.
/// Written for this comparison only; it is what CertGuard's cached snapshot avoids.
/// </summary>
internal sealed class HandshakeHealthCheck(IReadOnlyList<TlsEndpoint> endpoints, X509Certificate2Collection trustedRoots, TimeSpan warnBefore, TimeProvider timeProvider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        List<string>? problems = null;
        foreach (var endpoint in endpoints)
        {
            if (await CheckAsync(endpoint, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                (problems ??= []).Add(problem);
            }
        }

        return problems is null
            ? HealthCheckResult.Healthy($"{endpoints.Count} endpoint(s) handshaken")
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", problems));
    }

    private async Task<string?> CheckAsync(TlsEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = endpoint.Host,
                CertificateChainPolicy = ChainPolicy(),
            }, cancellationToken).ConfigureAwait(false);
            if (tls.RemoteCertificate is not X509Certificate2 certificate)
            {
                return $"{endpoint}: no certificate presented";
            }

            var remaining = certificate.NotAfter.ToUniversalTime() - timeProvider.GetUtcNow().UtcDateTime;
            return remaining <= warnBefore ? $"{endpoint}: expires in {remaining.TotalDays:0.#} days" : null;
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return $"{endpoint}: {ex.GetType().Name}";
        }
    }

    // A policy per handshake: the ecosystem check validates each connection on its own, and a policy is mutable.
    private X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(trustedRoots);
        return policy;
    }
}
