using CertGuard.Loading;

namespace CertGuard.Inspection;

/// <summary>Checks whether a certificate was revoked by its issuer.</summary>
public interface IRevocationChecker
{
    /// <summary>Checks a certificate's revocation status. Never throws for a network or protocol failure: that is an <see cref="RevocationStatus.Unknown"/> answer.</summary>
    /// <param name="certificate">The certificate, with the chain it was presented with.</param>
    /// <param name="facts">Its facts (OCSP and CRL URLs).</param>
    /// <param name="mode">Whether the network may be used.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The outcome, or <see langword="null"/> when revocation cannot be checked for this certificate (no issuer, no URLs, or mode off).</returns>
    ValueTask<RevocationFacts?> CheckAsync(LoadedCertificate certificate, CertificateFacts facts, RevocationCheckMode mode, CancellationToken cancellationToken);
}
