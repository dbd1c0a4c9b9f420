using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using CertGuard.Loading;

namespace CertGuard.Tests.Loading;

/// <summary>
/// From the long fuzz run (a mutated PFX took 2.5 s): the BouncyCastle fallback would run any key-derivation iteration
/// count a file asks for. Archives asking for more than the platform's own limit are refused before any derivation.
/// </summary>
public sealed class Pkcs12HostileInputTests
{
    private const string Password = "hostile";
    private static readonly byte[] Iterations65536 = [0x02, 0x03, 0x01, 0x00, 0x00];
    private static readonly byte[] Iterations8388607 = [0x02, 0x03, 0x7F, 0xFF, 0xFF];

    [Fact]
    public void Mac_with_millions_of_iterations_is_refused_as_corrupt()
    {
        var pfx = Build(macIterations: 65536, contentIterations: 2048);
        Patch(pfx, lastOccurrence: true);

        using var result = CertificateLoader.Load(pfx, "hostile.pfx", new CertificateLoadOptions { Passwords = [Password] });

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.Contains("MAC asks for 8388607 key-derivation iterations", error.Message);
    }

    [Fact]
    public void Encrypted_contents_with_millions_of_iterations_are_refused_as_corrupt()
    {
        var pfx = Build(macIterations: 2048, contentIterations: 65536);
        Patch(pfx, lastOccurrence: false);

        using var result = CertificateLoader.Load(pfx, "hostile.pfx", new CertificateLoadOptions { Passwords = [Password] });

        Assert.Contains("encrypted contents asks for 8388607", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Counts_within_the_limit_load()
    {
        using var result = CertificateLoader.Load(Build(macIterations: 65536, contentIterations: 65536), "fine.pfx", new CertificateLoadOptions { Passwords = [Password] });

        Assert.Empty(result.Errors);
        Assert.Single(result.Certificates);
    }

    private static byte[] Build(int macIterations, int contentIterations)
    {
        using var certificate = TestCertificates.Create();
        var contents = new Pkcs12SafeContents();
        contents.AddCertificate(certificate);
        var builder = new Pkcs12Builder();
        builder.AddSafeContentsEncrypted(contents, Password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, contentIterations));
        builder.SealWithMac(Password, HashAlgorithmName.SHA256, macIterations);
        return builder.Encode();
    }

    private static void Patch(byte[] pfx, bool lastOccurrence)
    {
        var span = pfx.AsSpan();
        var at = lastOccurrence ? span.LastIndexOf(Iterations65536) : span.IndexOf(Iterations65536);
        Assert.True(at >= 0, "the iteration count to patch was not found");
        Iterations8388607.CopyTo(span[at..]);
    }
}
