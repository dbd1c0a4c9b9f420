using System.Net.Security;
using System.Security.Authentication;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard.Tests.Policy;

public sealed class CertificatePolicyTests
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;
    private readonly CertificatePolicy _policy = new();

    private static IEnumerable<string> Ids(IEnumerable<Finding> findings) => findings.Select(f => f.Id);

    [Fact]
    public void A_healthy_leaf_has_no_findings()
    {
        var findings = _policy.Evaluate(FactsBuilder.Healthy(), Now);

        Assert.Empty(findings);
        Assert.Equal(CertificateStatus.Healthy, CertificatePolicy.StatusOf(findings));
    }

    [Theory]
    [InlineData(90, 31, CertificateStatus.Healthy)]   // 90-day life: window min(30 d, 30 d) = 30 d
    [InlineData(90, 29, CertificateStatus.Degraded)]
    [InlineData(47, 16, CertificateStatus.Healthy)]   // 47-day life: window is a third, 15.67 d, not 30 d
    [InlineData(47, 15, CertificateStatus.Degraded)]
    [InlineData(365, 31, CertificateStatus.Healthy)]  // a year: the absolute 30 d applies
    [InlineData(365, 30, CertificateStatus.Degraded)]
    public void Warning_window_is_the_smaller_of_30_days_and_a_third_of_the_lifetime(int lifetimeDays, int daysLeft, CertificateStatus expected)
    {
        var notAfter = Now.AddDays(daysLeft);
        var facts = FactsBuilder.Leaf(notAfter.AddDays(-lifetimeDays), notAfter);

        var findings = _policy.Evaluate(facts, Now);

        Assert.Equal(expected, CertificatePolicy.StatusOf(findings));
        if (expected == CertificateStatus.Degraded)
        {
            var finding = Assert.Single(findings);
            Assert.Equal(FindingIds.ExpiresSoon, finding.Id);
            Assert.Equal(FindingSeverity.Warning, finding.Severity);
            Assert.Contains($"in {daysLeft} days", finding.Message);
        }
    }

    [Fact]
    public void Expired_certificate_is_critical_and_says_when()
    {
        var facts = FactsBuilder.Leaf(Now.AddDays(-100), Now.AddDays(-3));

        var finding = Assert.Single(_policy.Evaluate(facts, Now));

        Assert.Equal(FindingIds.Expired, finding.Id);
        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Contains("3 days ago", finding.Message);
    }

    [Fact]
    public void Certificate_expiring_at_this_very_second_is_expired()
    {
        var facts = FactsBuilder.Leaf(Now.AddDays(-90), Now);
        Assert.Equal(FindingIds.Expired, Assert.Single(_policy.Evaluate(facts, Now)).Id);
    }

    [Fact]
    public void Not_yet_valid_certificate_is_critical()
    {
        var facts = FactsBuilder.Leaf(Now.AddDays(2), Now.AddDays(92));

        var finding = Assert.Single(_policy.Evaluate(facts, Now));

        Assert.Equal(FindingIds.NotYetValid, finding.Id);
        Assert.Equal(FindingSeverity.Critical, finding.Severity);
    }

    [Fact]
    public void Unhealthy_window_makes_expires_soon_critical()
    {
        var policy = new CertificatePolicy(new CertificatePolicyOptions { UnhealthyBefore = TimeSpan.FromDays(3) });
        var facts = FactsBuilder.Leaf(Now.AddDays(-88), Now.AddDays(2));

        var finding = Assert.Single(policy.Evaluate(facts, Now));

        Assert.Equal(FindingIds.ExpiresSoon, finding.Id);
        Assert.Equal(FindingSeverity.Critical, finding.Severity);
    }

    [Fact]
    public void Transitions_follow_the_clock()
    {
        var facts = FactsBuilder.Leaf(Now, Now.AddDays(90));
        var statuses = new[] { 0, 59, 61, 89, 90, 91 }
            .Select(day => CertificatePolicy.StatusOf(_policy.Evaluate(facts, Now.AddDays(day))))
            .ToArray();

        Assert.Equal(
            [CertificateStatus.Healthy, CertificateStatus.Healthy, CertificateStatus.Degraded, CertificateStatus.Degraded, CertificateStatus.Unhealthy, CertificateStatus.Unhealthy],
            statuses);
    }

    [Theory]
    [InlineData("RSA", 1024, true)]
    [InlineData("RSA", 2048, false)]
    [InlineData("DSA", 1024, true)]
    [InlineData("ECDSA", 192, true)]
    [InlineData("ECDSA", 256, false)]
    [InlineData("Ed25519", 256, false)]
    public void Short_keys_are_weak(string algorithm, int size, bool weak)
    {
        var facts = FactsBuilder.Healthy() with { KeyAlgorithm = algorithm, KeySize = size };
        Assert.Equal(weak, Ids(_policy.Evaluate(facts, Now)).Contains(FindingIds.WeakKey));
    }

    [Theory]
    [InlineData("sha1", true)]
    [InlineData("md5", true)]
    [InlineData("sha256", false)]
    [InlineData(null, false)]
    public void Broken_signature_hashes_are_weak(string? hash, bool weak)
    {
        var facts = FactsBuilder.Healthy() with { SignatureHashAlgorithm = hash, SignatureAlgorithm = "x" };
        Assert.Equal(weak, Ids(_policy.Evaluate(facts, Now)).Contains(FindingIds.WeakSignatureHash));
    }

    [Fact]
    public void A_self_signed_root_is_not_faulted_for_its_own_signature_hash()
    {
        var root = FactsBuilder.Healthy() with { SignatureHashAlgorithm = "sha1", IsSelfSigned = true, IsCertificateAuthority = true, ExtendedKeyUsages = [] };
        Assert.DoesNotContain(FindingIds.WeakSignatureHash, Ids(_policy.Evaluate(root, Now)));
    }

    [Fact]
    public void Leaf_valid_longer_than_the_maximum_has_long_validity_but_a_ca_does_not()
    {
        var leaf = FactsBuilder.Leaf(Now.AddDays(-10), Now.AddDays(389));
        var ca = leaf with { IsCertificateAuthority = true, ExtendedKeyUsages = [] };
        var custom = new CertificatePolicy(new CertificatePolicyOptions { MaximumValidity = TimeSpan.FromDays(400) });

        Assert.Contains(FindingIds.LongValidity, Ids(_policy.Evaluate(leaf, Now)));
        Assert.DoesNotContain(FindingIds.LongValidity, Ids(_policy.Evaluate(ca, Now)));
        Assert.DoesNotContain(FindingIds.LongValidity, Ids(custom.Evaluate(leaf, Now)));
    }

    [Fact]
    public void Server_certificate_without_dns_or_ip_san_is_missing_san()
    {
        var noSan = FactsBuilder.Healthy() with { SubjectAlternativeNames = [new(SubjectAlternativeNameKind.Email, "a@b.test")] };
        var clientOnly = noSan with { ExtendedKeyUsages = ["clientAuth"] };

        Assert.Contains(FindingIds.MissingSan, Ids(_policy.Evaluate(noSan, Now)));
        Assert.DoesNotContain(FindingIds.MissingSan, Ids(_policy.Evaluate(clientOnly, Now)));
    }

    [Fact]
    public void Served_certificate_for_another_name_is_a_critical_hostname_mismatch()
    {
        var served = FactsBuilder.Healthy() with { Connection = Connection("other.example.test", matches: false) };

        var finding = Assert.Single(_policy.Evaluate(served, Now));

        Assert.Equal(FindingIds.HostnameMismatch, finding.Id);
        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Contains("other.example.test", finding.Message);
    }

    [Fact]
    public void Self_signed_leaf_is_info_only_and_stays_healthy()
    {
        var facts = FactsBuilder.Healthy() with { IsSelfSigned = true };

        var finding = Assert.Single(_policy.Evaluate(facts, Now));

        Assert.Equal((FindingIds.SelfSigned, FindingSeverity.Info), (finding.Id, finding.Severity));
        Assert.Equal(CertificateStatus.Healthy, CertificatePolicy.StatusOf([finding]));
    }

    [Fact]
    public void Ca_certificate_served_as_a_leaf_is_flagged()
    {
        var facts = FactsBuilder.Healthy() with { IsCertificateAuthority = true, Connection = Connection("leaf.example.test", matches: true) };
        Assert.Contains(FindingIds.LeafIsCa, Ids(_policy.Evaluate(facts, Now)));
    }

    [Fact]
    public void Unencrypted_private_key_readable_by_others_is_a_warning_and_critical_for_code_signing()
    {
        var tls = FactsBuilder.Healthy() with { PrivateKeyProtection = PrivateKeyProtection.Unencrypted, PrivateKeyFileMode = (UnixFileMode)0b110_100_100 };
        var codeSigning = tls with { ExtendedKeyUsages = ["codeSigning"] };
        var encrypted = tls with { PrivateKeyProtection = PrivateKeyProtection.Encrypted };

        Assert.Equal(FindingSeverity.Warning, Assert.Single(_policy.Evaluate(tls, Now)).Severity);
        Assert.Equal(FindingSeverity.Critical, Assert.Single(_policy.Evaluate(codeSigning, Now), f => f.Id == FindingIds.UnprotectedPrivateKey).Severity);
        Assert.Empty(_policy.Evaluate(encrypted, Now));
    }

    [Fact]
    public void Untrusted_chain_is_critical_when_trust_is_required_and_a_warning_otherwise()
    {
        var facts = FactsBuilder.Healthy() with { Chain = Chain(trusted: false, "UntrustedRoot") };
        var lenient = new CertificatePolicy(new CertificatePolicyOptions { RequireTrustedChain = false });

        var strict = Assert.Single(_policy.Evaluate(facts, Now));
        Assert.Equal((FindingIds.UntrustedChain, FindingSeverity.Critical), (strict.Id, strict.Severity));
        Assert.Equal(FindingSeverity.Warning, Assert.Single(lenient.Evaluate(facts, Now)).Severity);
    }

    [Fact]
    public void Partial_chain_is_an_incomplete_chain()
    {
        var facts = FactsBuilder.Healthy() with { Chain = Chain(trusted: false, "PartialChain") };
        Assert.Equal(FindingIds.IncompleteChain, Assert.Single(_policy.Evaluate(facts, Now)).Id);
    }

    [Fact]
    public void Trusted_chain_and_unevaluated_chain_have_no_chain_findings()
    {
        Assert.Empty(_policy.Evaluate(FactsBuilder.Healthy() with { Chain = Chain(trusted: true) }, Now));
        Assert.Empty(_policy.Evaluate(FactsBuilder.Healthy(), Now));
    }

    [Fact]
    public void Expired_and_expiring_intermediates_are_reported_but_self_signed_roots_are_not()
    {
        var expired = Summary("CN=Old Intermediate", Now.AddYears(-5), Now.AddDays(-1), selfSigned: false);
        var expiring = Summary("CN=Soon Intermediate", Now.AddYears(-5), Now.AddDays(10), selfSigned: false);
        var oldRoot = Summary("CN=Old Root", Now.AddYears(-20), Now.AddDays(-1), selfSigned: true);
        var facts = FactsBuilder.Healthy() with { PresentedChain = [expired, expiring, oldRoot] };

        var findings = _policy.Evaluate(facts, Now);

        Assert.Contains(findings, f => f.Id == FindingIds.IntermediateExpired && f.Message.Contains("Old Intermediate") && f.Severity == FindingSeverity.Critical);
        Assert.Contains(findings, f => f.Id == FindingIds.IntermediateExpiresSoon && f.Message.Contains("Soon Intermediate"));
        Assert.DoesNotContain(findings, f => f.Message.Contains("Old Root"));
    }

    [Fact]
    public void Revocation_outcomes_become_findings()
    {
        var revoked = FactsBuilder.Healthy() with
        {
            Revocation = new RevocationFacts { Status = RevocationStatus.Revoked, RevokedAt = Now.AddDays(-1), RevocationReason = "keyCompromise", Source = "ocsp http://ocsp.test" },
        };
        var unknown = FactsBuilder.Healthy() with { Revocation = new RevocationFacts { Status = RevocationStatus.Unknown, Problems = ["responder timed out"] } };
        var stale = FactsBuilder.Healthy() with { Revocation = new RevocationFacts { Status = RevocationStatus.Good, IsStale = true, Source = "crl http://crl.test" } };

        var revokedFinding = Assert.Single(_policy.Evaluate(revoked, Now));
        Assert.Equal((FindingIds.Revoked, FindingSeverity.Critical), (revokedFinding.Id, revokedFinding.Severity));
        Assert.Contains("keyCompromise", revokedFinding.Message);
        Assert.Contains("responder timed out", Assert.Single(_policy.Evaluate(unknown, Now), f => f.Id == FindingIds.RevocationUnknown).Message);
        Assert.Equal(FindingIds.CrlStale, Assert.Single(_policy.Evaluate(stale, Now)).Id);
    }

    [Fact]
    public void Ignored_findings_are_dropped()
    {
        var policy = new CertificatePolicy(new CertificatePolicyOptions { IgnoredFindings = ["long-validity"] });
        var facts = FactsBuilder.Leaf(Now.AddDays(-10), Now.AddDays(800));

        Assert.Empty(policy.Evaluate(facts, Now));
    }

    [Fact]
    public void Findings_are_ordered_most_severe_first()
    {
        var facts = FactsBuilder.Leaf(Now.AddDays(-800), Now.AddDays(-1)) with { IsSelfSigned = true, KeySize = 128 };

        var severities = _policy.Evaluate(facts, Now).Select(f => f.Severity).ToList();

        Assert.Equal(severities.OrderByDescending(s => s), severities);
        Assert.Equal(FindingSeverity.Critical, severities[0]);
    }

    [Fact]
    public void Load_error_is_a_critical_finding_naming_the_location_and_reason()
    {
        var finding = CertificatePolicy.Evaluate(new LoadError("/etc/ssl/site.pfx", LoadErrorReason.WrongPassword, "none of the 1 given password(s) opens it"));

        Assert.Equal(FindingIds.LoadError, finding.Id);
        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Contains("/etc/ssl/site.pfx", finding.Message);
        Assert.Contains("WrongPassword", finding.Message);
    }

    [Fact]
    public void Invalid_options_are_refused_with_messages_naming_the_setting()
    {
        var options = new CertificatePolicyOptions
        {
            DegradedBefore = TimeSpan.FromDays(-1),
            DegradedLifetimeFraction = 1.5,
            UnhealthyBefore = TimeSpan.FromDays(10),
        };

        var problems = options.Validate();
        var exception = Assert.Throws<ArgumentException>(() => new CertificatePolicy(options));

        Assert.Contains(problems, p => p.Contains(nameof(CertificatePolicyOptions.DegradedBefore)));
        Assert.Contains(problems, p => p.Contains(nameof(CertificatePolicyOptions.DegradedLifetimeFraction)));
        Assert.Contains(problems, p => p.Contains(nameof(CertificatePolicyOptions.UnhealthyBefore)));
        Assert.Contains(nameof(CertificatePolicyOptions.DegradedLifetimeFraction), exception.Message);
    }

    [Fact]
    public void Status_is_the_worst_finding()
    {
        Assert.Equal(CertificateStatus.Healthy, CertificatePolicy.StatusOf([]));
        Assert.Equal(CertificateStatus.Degraded, CertificatePolicy.StatusOf([new("a", FindingSeverity.Info, ""), new("b", FindingSeverity.Warning, "")]));
        Assert.Equal(CertificateStatus.Unhealthy, CertificatePolicy.StatusOf([new("b", FindingSeverity.Warning, ""), new("c", FindingSeverity.Critical, "")]));
    }

    private static TlsConnectionInfo Connection(string serverName, bool matches) => new()
    {
        Host = serverName,
        Port = 443,
        ServerName = serverName,
        HostNameMatches = matches,
        Protocol = SslProtocols.Tls13,
        PolicyErrors = matches ? SslPolicyErrors.None : SslPolicyErrors.RemoteCertificateNameMismatch,
    };

    private static ChainFacts Chain(bool trusted, params string[] problems) => new()
    {
        TrustMode = ChainTrustMode.System,
        IsTrusted = trusted,
        IsComplete = !problems.Contains("PartialChain"),
        Problems = problems,
        Elements = [],
    };

    private static CertificateSummary Summary(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, bool selfSigned) =>
        new(subject, subject, subject.GetHashCode().ToString("X", System.Globalization.CultureInfo.InvariantCulture), notBefore, notAfter, true, selfSigned);
}
