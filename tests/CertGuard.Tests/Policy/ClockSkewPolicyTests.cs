using CertGuard.Inspection;
using CertGuard.Policy;

namespace CertGuard.Tests.Policy;

/// <summary>A host whose clock lags the CA's must not call a freshly issued certificate unusable.</summary>
public sealed class ClockSkewPolicyTests
{
    private static readonly DateTimeOffset NotBefore = new(2030, 6, 15, 10, 0, 0, TimeSpan.Zero);
    private readonly CertificatePolicy _policy = new();

    private static CertificateFacts Fresh() => FactsBuilder.Leaf(NotBefore, NotBefore.AddDays(90));

    [Fact]
    public void The_default_tolerance_is_five_minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), new CertificatePolicyOptions().ClockSkewTolerance);
    }

    [Fact]
    public void A_certificate_a_few_minutes_early_is_a_warning_that_names_the_gap_and_the_clock()
    {
        var hostReads = NotBefore - new TimeSpan(0, 2, 48);

        var finding = Assert.Single(_policy.Evaluate(Fresh(), hostReads));

        Assert.Equal((FindingIds.NotYetValid, FindingSeverity.Warning), (finding.Id, finding.Severity));
        Assert.Equal(
            "Valid from 2030-06-15 10:00:00Z, this host reads 2030-06-15 09:57:12Z: 2 min 48 s early, within the clock-skew tolerance of 5 min; this host's clock may lag: check the clock.",
            finding.Message);
        Assert.Equal(CertificateStatus.Degraded, CertificatePolicy.StatusOf([finding]));
    }

    [Theory]
    [InlineData(1, FindingSeverity.Warning)]
    [InlineData(299, FindingSeverity.Warning)]
    [InlineData(300, FindingSeverity.Warning)]   // exactly the tolerance: still within it
    [InlineData(301, FindingSeverity.Critical)]
    [InlineData(86_400, FindingSeverity.Critical)]
    public void Within_the_tolerance_it_is_a_warning_and_beyond_it_critical(int secondsEarly, FindingSeverity expected)
    {
        var finding = Assert.Single(_policy.Evaluate(Fresh(), NotBefore.AddSeconds(-secondsEarly)));

        Assert.Equal((FindingIds.NotYetValid, expected), (finding.Id, finding.Severity));
    }

    [Fact]
    public void Beyond_the_tolerance_the_message_still_names_the_gap_and_the_tolerance()
    {
        var finding = Assert.Single(_policy.Evaluate(Fresh(), NotBefore.AddMinutes(-7)));

        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Contains("Not valid until 2030-06-15 10:00:00Z", finding.Message, StringComparison.Ordinal);
        Assert.Contains("7 min early, beyond the clock-skew tolerance of 5 min", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tolerance_of_zero_makes_any_early_certificate_critical()
    {
        var strict = new CertificatePolicy(new CertificatePolicyOptions { ClockSkewTolerance = TimeSpan.Zero });

        Assert.Equal(FindingSeverity.Critical, Assert.Single(strict.Evaluate(Fresh(), NotBefore.AddSeconds(-1))).Severity);
        Assert.Empty(strict.Evaluate(Fresh(), NotBefore));
    }

    [Fact]
    public void A_wider_tolerance_is_honoured()
    {
        var lenient = new CertificatePolicy(new CertificatePolicyOptions { ClockSkewTolerance = TimeSpan.FromMinutes(30) });

        var finding = Assert.Single(lenient.Evaluate(Fresh(), NotBefore.AddMinutes(-29)));

        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("29 min early, within the clock-skew tolerance of 30 min", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tolerance_never_delays_expiry()
    {
        var facts = FactsBuilder.Leaf(NotBefore.AddDays(-90), NotBefore);

        var atExpiry = Assert.Single(_policy.Evaluate(facts, NotBefore));
        var secondAfter = Assert.Single(_policy.Evaluate(facts, NotBefore.AddSeconds(1)));

        Assert.Equal((FindingIds.Expired, FindingSeverity.Critical), (atExpiry.Id, atExpiry.Severity));
        Assert.Equal((FindingIds.Expired, FindingSeverity.Critical), (secondAfter.Id, secondAfter.Severity));
    }

    [Fact]
    public void A_served_certificate_within_the_tolerance_drifting_from_its_configuration_is_not_an_outage()
    {
        var configured = new CertificateSummary("CN=old", "CN=Test CA", "CC", NotBefore.AddDays(-80), NotBefore.AddDays(10), false, false);
        var facts = Fresh() with { ConfiguredCertificate = configured };

        var drift = Assert.Single(_policy.Evaluate(facts, NotBefore.AddMinutes(-2)), f => f.Id == FindingIds.ServedCertificateDrift);
        var farDrift = Assert.Single(_policy.Evaluate(facts, NotBefore.AddMinutes(-10)), f => f.Id == FindingIds.ServedCertificateDrift);

        Assert.Equal(FindingSeverity.Warning, drift.Severity);
        Assert.Equal(FindingSeverity.Critical, farDrift.Severity);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(60 * 24 + 1)]
    public void A_negative_or_over_a_day_tolerance_is_refused_naming_the_setting(int minutes)
    {
        var options = new CertificatePolicyOptions { ClockSkewTolerance = TimeSpan.FromMinutes(minutes) };

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith("ClockSkewTolerance must be between 00:00:00 and 1.00:00:00", problem, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new CertificatePolicy(options));
    }
}
