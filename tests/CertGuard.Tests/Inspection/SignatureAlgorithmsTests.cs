using CertGuard.Inspection;
using Org.BouncyCastle.Asn1;

namespace CertGuard.Tests.Inspection;

public sealed class SignatureAlgorithmsTests
{
    private const string RsassaPss = "1.2.840.113549.1.1.10";

    [Fact]
    public void Pss_parameters_name_their_hash()
    {
        // SEQUENCE { [0] sha384, [1] mgf1(sha384), [2] saltLength 48 }
        var parameters = Asn1Object.FromByteArray(Convert.FromHexString(
            "3034A00F300D06096086480165030402020500A11C301A06092A864886F70D010108300D06096086480165030402020500A203020130"));

        Assert.Equal(("rsassaPss", "sha384"), SignatureAlgorithms.Describe(RsassaPss, parameters));
    }

    [Fact]
    public void Absent_pss_parameters_mean_sha1()
    {
        Assert.Equal("sha1", SignatureAlgorithms.Describe(RsassaPss, null).Hash);
    }

    /// <summary>
    /// Minimized from the long fuzz run (der input 78626): the salt length's explicit [2] tag holds a NumericString
    /// instead of an INTEGER, and BouncyCastle throws InvalidOperationException from inside GetInstance.
    /// </summary>
    [Fact]
    public void Malformed_pss_parameters_leave_the_hash_unknown_instead_of_throwing()
    {
        var parameters = Asn1Object.FromByteArray(Convert.FromHexString(
            "3030A00D300B0609608648016503040202A11A301806092A864886F70D010108300B0609608648016503040202A203120130"));

        Assert.Equal(("rsassaPss", null), SignatureAlgorithms.Describe(RsassaPss, parameters));
    }
}
