using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertGuard.Inspection;

/// <summary>Builds a certificate's chain with the platform's <see cref="X509Chain"/> and the caller's trust.</summary>
internal static class ChainEvaluator
{
    // Time is judged by the expiry findings, and revocation by the revocation checker; chain trust is about trust.
    private const X509ChainStatusFlags JudgedElsewhere =
        X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested | X509ChainStatusFlags.CtlNotTimeValid
        | X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    public static ChainFacts? Evaluate(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> presented, ChainTrust trust, DateTimeOffset now)
    {
        if (trust.Mode == ChainTrustMode.None)
        {
            return null;
        }

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        // Inspection observes, it does not trust: revocation is the revocation checker's finding, and expiry is the
        // policy's `expired` finding, so the chain is built to report trust alone. Nothing here accepts a peer.
#pragma warning disable CG1004, CG1005 // Deliberate: see above; a connection is never authenticated with this chain.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid
            | X509VerificationFlags.IgnoreNotTimeNested;
#pragma warning restore CG1004, CG1005
        policy.VerificationTime = now.UtcDateTime;
        policy.DisableCertificateDownloads = !trust.AllowDownloads;
        policy.UrlRetrievalTimeout = TimeSpan.FromSeconds(10);
        foreach (var extra in presented)
        {
            policy.ExtraStore.Add(extra);
        }

        if (trust.Mode == ChainTrustMode.Custom)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            foreach (var root in trust.CustomRoots)
            {
                policy.CustomTrustStore.Add(root);
            }
        }

        try
        {
            chain.Build(certificate);
        }
        catch (CryptographicException ex)
        {
            return new ChainFacts
            {
                TrustMode = trust.Mode,
                IsTrusted = false,
                IsComplete = false,
                Problems = [$"ChainBuildFailed: {ex.Message}"],
                Elements = [],
            };
        }

        var problems = chain.ChainStatus
            .Where(s => (s.Status & ~JudgedElsewhere) != 0)
            .Select(s => (s.Status & ~JudgedElsewhere).ToString())
            .Distinct()
            .ToList();
        var elements = new List<CertificateSummary>(chain.ChainElements.Count);
        foreach (var element in chain.ChainElements)
        {
            elements.Add(CertificateInspector.Summarize(element.Certificate));
            if (!ReferenceEquals(element.Certificate, certificate) && !presented.Contains(element.Certificate))
            {
                element.Certificate.Dispose();
            }
        }

        var reachesRoot = elements.Count > 0 && elements[^1].IsSelfSigned;
        return new ChainFacts
        {
            TrustMode = trust.Mode,
            IsTrusted = problems.Count == 0,
            IsComplete = reachesRoot && !problems.Any(p => p.Contains(nameof(X509ChainStatusFlags.PartialChain), StringComparison.Ordinal)),
            Problems = problems,
            Elements = elements,
        };
    }
}
