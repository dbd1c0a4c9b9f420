using CertGuard.Loading;
using CertGuard.Policy;

namespace CertGuard.Tests.Policy;

/// <summary>Deployed keys are unencrypted by design: the file's permissions decide how exposed the key is.</summary>
public sealed class PrivateKeyPolicyTests
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;
    private readonly CertificatePolicy _policy = new();

    [Theory]
    [InlineData(0b110_000_000, FindingSeverity.Info, "0600", "readable only by its file's owner")]
    [InlineData(0b100_000_000, FindingSeverity.Info, "0400", "readable only by its file's owner")]
    [InlineData(0b111_000_000, FindingSeverity.Info, "0700", "readable only by its file's owner")]
    [InlineData(0b110_010_000, FindingSeverity.Info, "0620", "readable only by its file's owner")] // group may write, not read
    [InlineData(0b110_100_000, FindingSeverity.Warning, "0640", "its group can read")]
    [InlineData(0b110_000_100, FindingSeverity.Warning, "0604", "all other users can read")]
    [InlineData(0b110_100_100, FindingSeverity.Warning, "0644", "its group and all other users can read")]
    public void A_tls_key_is_judged_by_who_can_read_its_file(int mode, FindingSeverity expected, string octal, string says)
    {
        var facts = FactsBuilder.Healthy() with { PrivateKeyProtection = PrivateKeyProtection.Unencrypted, PrivateKeyFileMode = (UnixFileMode)mode };

        var finding = Assert.Single(_policy.Evaluate(facts, Now));

        Assert.Equal((FindingIds.UnprotectedPrivateKey, expected), (finding.Id, finding.Severity));
        Assert.Contains($"(mode {octal})", finding.Message, StringComparison.Ordinal);
        Assert.Contains(says, finding.Message, StringComparison.Ordinal);
        Assert.Equal(expected == FindingSeverity.Info ? CertificateStatus.Healthy : CertificateStatus.Degraded, CertificatePolicy.StatusOf([finding]));
    }

    [Theory]
    [InlineData(0b110_000_000)]
    [InlineData(0b100_000_000)]
    [InlineData(0b110_100_100)]
    public void A_code_signing_key_stored_unencrypted_is_critical_whatever_its_permissions(int mode)
    {
        var facts = FactsBuilder.Healthy() with
        {
            ExtendedKeyUsages = ["codeSigning"],
            PrivateKeyProtection = PrivateKeyProtection.Unencrypted,
            PrivateKeyFileMode = (UnixFileMode)mode,
        };

        var finding = Assert.Single(_policy.Evaluate(facts, Now), f => f.Id == FindingIds.UnprotectedPrivateKey);

        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Contains("anyone who reads the file can sign as you", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_from_no_file_is_info_and_says_its_readers_are_not_known()
    {
        var facts = FactsBuilder.Healthy() with { PrivateKeyProtection = PrivateKeyProtection.Unencrypted };

        var finding = Assert.Single(_policy.Evaluate(facts, Now));

        Assert.Equal((FindingIds.UnprotectedPrivateKey, FindingSeverity.Info), (finding.Id, finding.Severity));
        Assert.Contains("not known", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PrivateKeyProtection.Encrypted)]
    [InlineData(PrivateKeyProtection.PlatformProtected)]
    [InlineData(PrivateKeyProtection.Absent)]
    public void A_protected_or_absent_key_draws_nothing_even_in_a_readable_file(PrivateKeyProtection protection)
    {
        var facts = FactsBuilder.Healthy() with { PrivateKeyProtection = protection, PrivateKeyFileMode = (UnixFileMode)0b110_100_100 };
        Assert.Empty(_policy.Evaluate(facts, Now));
    }
}
