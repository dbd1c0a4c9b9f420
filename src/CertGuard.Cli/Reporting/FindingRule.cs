using CertGuard.Policy;

namespace CertGuard.Cli.Reporting;

/// <summary>What a finding id means, for SARIF rule metadata.</summary>
/// <param name="Id">The finding id.</param>
/// <param name="Name">A PascalCase rule name.</param>
/// <param name="Description">One sentence.</param>
/// <param name="DefaultSeverity">The severity the policy usually gives it.</param>
internal sealed record FindingRule(string Id, string Name, string Description, FindingSeverity DefaultSeverity)
{
    public static IReadOnlyList<FindingRule> All { get; } =
    [
        new(FindingIds.Expired, "CertificateExpired", "The certificate has expired.", FindingSeverity.Critical),
        new(FindingIds.NotYetValid, "CertificateNotYetValid", "The certificate is not valid yet.", FindingSeverity.Critical),
        new(FindingIds.ExpiresSoon, "CertificateExpiresSoon", "The certificate expires within its warning window.", FindingSeverity.Warning),
        new(FindingIds.IntermediateExpired, "IntermediateExpired", "An intermediate certificate of the chain has expired.", FindingSeverity.Critical),
        new(FindingIds.IntermediateExpiresSoon, "IntermediateExpiresSoon", "An intermediate certificate of the chain expires soon.", FindingSeverity.Warning),
        new(FindingIds.WeakKey, "WeakKey", "The public key is shorter than the minimum.", FindingSeverity.Warning),
        new(FindingIds.WeakSignatureHash, "WeakSignatureHash", "The certificate is signed with a broken hash algorithm (MD5, SHA-1).", FindingSeverity.Warning),
        new(FindingIds.LongValidity, "LongValidity", "The leaf certificate is valid for longer than the maximum.", FindingSeverity.Warning),
        new(FindingIds.MissingSan, "MissingSubjectAlternativeName", "A TLS server certificate has no DNS or IP subject alternative name.", FindingSeverity.Warning),
        new(FindingIds.HostnameMismatch, "HostnameMismatch", "The served certificate is not valid for the host name.", FindingSeverity.Critical),
        new(FindingIds.SelfSigned, "SelfSigned", "The certificate is self-signed.", FindingSeverity.Info),
        new(FindingIds.LeafIsCa, "LeafIsCertificateAuthority", "A CA certificate is used as a TLS leaf.", FindingSeverity.Warning),
        new(FindingIds.UntrustedChain, "UntrustedChain", "The chain does not lead to a trusted root.", FindingSeverity.Critical),
        new(FindingIds.IncompleteChain, "IncompleteChain", "The chain cannot be built: an intermediate is missing.", FindingSeverity.Critical),
        new(FindingIds.UnprotectedPrivateKey, "UnprotectedPrivateKey", "A private key is stored unencrypted beside the certificate.", FindingSeverity.Warning),
        new(FindingIds.Revoked, "CertificateRevoked", "The issuer has revoked the certificate.", FindingSeverity.Critical),
        new(FindingIds.RevocationUnknown, "RevocationUnknown", "The revocation status could not be determined.", FindingSeverity.Warning),
        new(FindingIds.CrlStale, "CrlStale", "The certificate revocation list is past its next update.", FindingSeverity.Warning),
        new(FindingIds.ServedCertificateDrift, "ServedCertificateDrift", "The server serves a different certificate than the one configured.", FindingSeverity.Warning),
        new(FindingIds.LoadError, "LoadError", "A certificate file, store or endpoint could not be read.", FindingSeverity.Critical),
    ];

    /// <summary>The rule for an id; a generic one for ids this build does not know.</summary>
    public static FindingRule For(string id) =>
        All.FirstOrDefault(r => r.Id == id) ?? new FindingRule(id, id, $"Finding '{id}'.", FindingSeverity.Warning);
}
