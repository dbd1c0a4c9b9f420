namespace CertGuard.Inspection.Revocation;

/// <summary>What an OCSP response said, and whether it could be believed (only believed answers are cached).</summary>
internal sealed record OcspVerdict(RevocationFacts Facts, bool Trusted);
