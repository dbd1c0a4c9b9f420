using CertGuard.Inspection;
using CertGuard.Policy;

namespace CertGuard.Tests.Policy;

public sealed class DriftPolicyTests
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;
    private readonly CertificatePolicy _policy = new();

    private static CertificateSummary Configured(string thumbprint, DateTimeOffset notAfter) =>
        new("CN=leaf.example.test", "CN=Test CA", thumbprint, notAfter.AddDays(-90), notAfter, false, false);

    [Fact]
    public void Served_and_configured_the_same_is_no_drift()
    {
        var facts = FactsBuilder.Healthy() with { ConfiguredCertificate = Configured("aa", Now.AddDays(80)) };

        Assert.Empty(_policy.Evaluate(facts, Now));
    }

    [Fact]
    public void No_configured_certificate_is_no_drift()
    {
        Assert.DoesNotContain(_policy.Evaluate(FactsBuilder.Healthy(), Now), f => f.Id == FindingIds.ServedCertificateDrift);
    }

    [Fact]
    public void A_different_served_certificate_that_is_still_valid_is_a_warning_naming_both()
    {
        var facts = FactsBuilder.Healthy() with { ConfiguredCertificate = Configured("CC", Now.AddDays(170)) };

        var finding = Assert.Single(_policy.Evaluate(facts, Now));

        Assert.Equal(FindingIds.ServedCertificateDrift, finding.Id);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("Serves AA", finding.Message);
        Assert.Contains("configured with CC", finding.Message);
        Assert.Contains(Now.AddDays(80).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), finding.Message);
        Assert.Contains(Now.AddDays(170).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), finding.Message);
        Assert.Equal(CertificateStatus.Degraded, CertificatePolicy.StatusOf([finding]));
    }

    [Fact]
    public void Drift_to_an_expired_served_certificate_is_critical()
    {
        var facts = FactsBuilder.Leaf(Now.AddDays(-91), Now.AddDays(-1)) with { ConfiguredCertificate = Configured("CC", Now.AddDays(89)) };

        var findings = _policy.Evaluate(facts, Now);

        Assert.Contains(findings, f => f.Id == FindingIds.ServedCertificateDrift && f.Severity == FindingSeverity.Critical);
        Assert.Contains(findings, f => f.Id == FindingIds.Expired);
    }

    [Fact]
    public void Drift_inside_the_unhealthy_window_is_critical()
    {
        var policy = new CertificatePolicy(new CertificatePolicyOptions { UnhealthyBefore = TimeSpan.FromDays(7) });
        var facts = FactsBuilder.Leaf(Now.AddDays(-85), Now.AddDays(5)) with { ConfiguredCertificate = Configured("CC", Now.AddDays(89)) };

        var drift = Assert.Single(policy.Evaluate(facts, Now), f => f.Id == FindingIds.ServedCertificateDrift);

        Assert.Equal(FindingSeverity.Critical, drift.Severity);
    }

    [Fact]
    public void Drift_outside_the_unhealthy_window_with_an_unhealthy_window_set_stays_a_warning()
    {
        var policy = new CertificatePolicy(new CertificatePolicyOptions { UnhealthyBefore = TimeSpan.FromDays(7) });
        var facts = FactsBuilder.Leaf(Now.AddDays(-80), Now.AddDays(10)) with { ConfiguredCertificate = Configured("CC", Now.AddDays(89)) };

        var drift = Assert.Single(policy.Evaluate(facts, Now), f => f.Id == FindingIds.ServedCertificateDrift);

        Assert.Equal(FindingSeverity.Warning, drift.Severity);
    }

    [Fact]
    public void Drift_can_be_ignored()
    {
        var policy = new CertificatePolicy(new CertificatePolicyOptions { IgnoredFindings = [FindingIds.ServedCertificateDrift] });
        var facts = FactsBuilder.Healthy() with { ConfiguredCertificate = Configured("CC", Now.AddDays(170)) };

        Assert.Empty(policy.Evaluate(facts, Now));
    }
}
