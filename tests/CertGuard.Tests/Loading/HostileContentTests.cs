using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text;
using CertGuard.Loading;

namespace CertGuard.Tests.Loading;

/// <summary>
/// Content that used to escape its timeout (issue 12 items 2, 3 and 13): unterminated PEM BEGIN lines, many PKCS#12
/// password candidates on a costly MAC, and invalid iteration counts. Work is bounded by counts, never by a clock.
/// </summary>
public sealed class HostileContentTests
{
    // A hang guard only: the parse takes milliseconds now; the quadratic parser took 259 s on this input.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private const string Password = "right";

    [Fact]
    public async Task Three_hundred_thousand_unterminated_begin_lines_parse_and_report_a_bounded_number_of_errors()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("-----BEGIN CERTIFICATE-----\n", 300_000)));

        using var result = await Task.Run(() => CertificateLoader.Load(data, "hostile.pem")).WaitAsync(HangGuard);

        Assert.Empty(result.Certificates);
        Assert.Equal(21, result.Errors.Count);
        Assert.Equal("and 299980 more damaged PEM block(s)", result.Errors[^1].Message);
    }

    [Fact]
    public async Task Begin_lines_without_newlines_or_dashes_parse_too()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("-----BEGIN X", 300_000)));

        using var result = await Task.Run(() => CertificateLoader.Load(data, "hostile.pem")).WaitAsync(HangGuard);

        // Each "BEGIN X" runs to the next one's dashes: blocks of an unknown label, which hold no certificate.
        Assert.Equal(LoadErrorReason.NoCertificate, Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void A_canceled_load_throws_instead_of_parsing()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("-----BEGIN CERTIFICATE-----\n", 1000)));

        Assert.Throws<OperationCanceledException>(() => CertificateLoader.Load(data, "hostile.pem", cancellationToken: new CancellationToken(canceled: true)));
        Assert.Throws<OperationCanceledException>(() => CertificateLoader.Load(Pfx(macIterations: 2048), "a.pfx", new CertificateLoadOptions { Passwords = ["x"] }, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Two_hundred_wrong_passwords_on_a_costly_mac_stop_at_the_work_budget()
    {
        var pfx = Pfx(macIterations: 300_000);
        var passwords = Enumerable.Range(0, 200).Select(i => $"wrong-{i}").ToList();
        var before = Pkcs12WorkBudget.ChargedOnThread;

        using var result = CertificateLoader.Load(pfx, "costly.pfx", new CertificateLoadOptions { Passwords = passwords });

        var charged = Pkcs12WorkBudget.ChargedOnThread - before;
        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.WrongPassword, error.Reason);
        Assert.Contains("the rest were not tried", error.Message);
        Assert.InRange(charged, 300_000, Pkcs12WorkBudget.DefaultLimit);
    }

    [Fact]
    public void The_right_password_among_wrong_ones_costs_one_mac_derivation_per_candidate_tried()
    {
        var pfx = Pfx(macIterations: 2048);
        var before = Pkcs12WorkBudget.ChargedOnThread;

        using var result = CertificateLoader.Load(pfx, "a.pfx", new CertificateLoadOptions { Passwords = ["wrong-1", "wrong-2", Password] });

        Assert.Empty(result.Errors);
        Assert.Single(result.Certificates);

        // Three MAC checks, then one opening with the platform's own limits: never a candidate derived three times.
        Assert.Equal((3 * 2048) + 2048 + Pkcs12IterationGuard.TotalLimit, Pkcs12WorkBudget.ChargedOnThread - before);
    }

    [Theory]
    [InlineData(0x00, "0")]
    [InlineData(0xFF, "-1")]
    public void A_mac_iteration_count_below_one_is_invalid_not_over_the_limit(byte encoded, string shown)
    {
        var pfx = Pfx(macIterations: 2);
        Assert.Equal([0x02, 0x01, 0x02], pfx[^3..]);
        pfx[^1] = encoded;

        using var result = CertificateLoader.Load(pfx, "invalid.pfx", new CertificateLoadOptions { Passwords = [Password] });

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.Contains($"asks for {shown} key-derivation iterations, which is invalid", error.Message);
        Assert.DoesNotContain("over the limit", error.Message);
    }

    private static byte[] Pfx(int macIterations)
    {
        using var certificate = TestCertificates.Create();
        var contents = new Pkcs12SafeContents();
        contents.AddCertificate(certificate);
        var builder = new Pkcs12Builder();
        builder.AddSafeContentsEncrypted(contents, Password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 2048));
        builder.SealWithMac(Password, HashAlgorithmName.SHA256, macIterations);
        return builder.Encode();
    }
}
