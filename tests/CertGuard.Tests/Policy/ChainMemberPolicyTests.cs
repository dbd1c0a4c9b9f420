using CertGuard.Inspection;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard.Tests.Policy;

/// <summary>The intermediate of a full chain is judged as a chain certificate, not as a leaf in use.</summary>
public sealed class ChainMemberPolicyTests
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;
    private readonly CertificatePolicy _policy = new();

    /// <summary>A public-style intermediate: a CA, with the serverAuth EKU, no SAN, valid for years.</summary>
    private static CertificateFacts Intermediate(DateTimeOffset notAfter, bool member = true) => FactsBuilder.Leaf(Now.AddYears(-1), notAfter) with
    {
        Subject = "CN=Public Intermediate R9",
        SubjectCommonName = "Public Intermediate R9",
        IsCertificateAuthority = true,
        SubjectAlternativeNames = [],
        ExtendedKeyUsages = ["serverAuth", "clientAuth"],
        IsChainMember = member,
    };

    [Fact]
    public void A_chain_member_with_server_auth_draws_no_leaf_findings()
    {
        Assert.Empty(_policy.Evaluate(Intermediate(Now.AddYears(2)), Now));
    }

    [Fact]
    public void The_same_certificate_judged_on_its_own_would_be_flagged_as_a_leaf()
    {
        var ids = _policy.Evaluate(Intermediate(Now.AddYears(2), member: false), Now).Select(f => f.Id);
        Assert.Contains(FindingIds.LeafIsCa, ids);
    }

    [Fact]
    public void A_served_chain_member_is_not_checked_against_the_host_name()
    {
        var facts = Intermediate(Now.AddYears(2)) with
        {
            Connection = new TlsConnectionInfo { Host = "www.example.test", Port = 443, ServerName = "www.example.test", HostNameMatches = false },
        };

        Assert.Empty(_policy.Evaluate(facts, Now));
    }

    [Fact]
    public void An_expired_chain_member_is_an_expired_intermediate()
    {
        var finding = Assert.Single(_policy.Evaluate(Intermediate(Now.AddDays(-1)), Now));

        Assert.Equal((FindingIds.IntermediateExpired, FindingSeverity.Critical), (finding.Id, finding.Severity));
    }

    [Fact]
    public void A_chain_member_inside_its_warning_window_is_an_intermediate_expiring_soon()
    {
        var finding = Assert.Single(_policy.Evaluate(Intermediate(Now.AddDays(10)), Now));

        Assert.Equal((FindingIds.IntermediateExpiresSoon, FindingSeverity.Warning), (finding.Id, finding.Severity));
        Assert.Contains("in 10 days", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_member_still_draws_what_any_certificate_would()
    {
        var facts = Intermediate(Now.AddYears(2)) with { SignatureHashAlgorithm = "sha1", SignatureAlgorithm = "sha1WithRSAEncryption" };

        var finding = Assert.Single(_policy.Evaluate(facts, Now));

        Assert.Equal(FindingIds.WeakSignatureHash, finding.Id);
    }
}
