using System.Buffers.Binary;
using CertGuard.Loading;

namespace CertGuard.Tests.Loading;

/// <summary>
/// Minimized from the long fuzz run (jks input 10691 made the loader allocate 5.8 GB): keystores whose length
/// fields claim more than the data holds must be refused as corrupt without allocating what they claim.
/// </summary>
public sealed class JavaKeyStoreHostileInputTests
{
    // Layout of a one-entry JKS v2 trusted-certificate store: magic, version, count, tag, alias, date, type, length.
    private const int CountOffset = 8;

    [Fact]
    public void Certificate_length_past_the_end_is_corrupt_and_allocates_nothing_like_it_claims()
    {
        var jks = OneTrustedEntry(out var lengthOffset);
        BinaryPrimitives.WriteInt32BigEndian(jks.AsSpan(lengthOffset), 0x7FFF_FFF0);

        var (result, allocated) = LoadMeasured(jks);

        Assert.Equal(LoadErrorReason.Corrupt, Assert.Single(result.Errors).Reason);
        Assert.Contains("runs past the end", result.Errors[0].Message);
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated} bytes for a {jks.Length}-byte file");
    }

    [Fact]
    public void Entry_count_beyond_what_the_bytes_can_hold_is_corrupt()
    {
        var jks = OneTrustedEntry(out _);
        BinaryPrimitives.WriteInt32BigEndian(jks.AsSpan(CountOffset), 0x00FF_FFFF);

        var (result, allocated) = LoadMeasured(jks);

        Assert.Contains("entries", Assert.Single(result.Errors).Message);
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Negative_length_is_corrupt()
    {
        var jks = OneTrustedEntry(out var lengthOffset);
        BinaryPrimitives.WriteInt32BigEndian(jks.AsSpan(lengthOffset), -5);

        var (result, _) = LoadMeasured(jks);

        Assert.Equal(LoadErrorReason.Corrupt, Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void An_intact_keystore_still_passes_the_layout_check()
    {
        var jks = OneTrustedEntry(out _);
        using var result = CertificateLoader.Load(jks, "intact.jks");
        Assert.Single(result.Certificates);
    }

    private static (CertificateLoadResult Result, long Allocated) LoadMeasured(byte[] jks)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = CertificateLoader.Load(jks, "hostile.jks");
        return (result, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static byte[] OneTrustedEntry(out int certificateLengthOffset)
    {
        using var certificate = TestCertificates.Create("CN=trusted");
        var jks = JavaKeyStores.Create("changeit", ("ca", certificate, null));
        // magic(4) version(4) count(4) tag(4) alias(2 + 2) date(8) type(2 + "X.509")
        certificateLengthOffset = 4 + 4 + 4 + 4 + 2 + "ca".Length + 8 + 2 + "X.509".Length;
        Assert.Equal(certificate.RawData.Length, BinaryPrimitives.ReadInt32BigEndian(jks.AsSpan(certificateLengthOffset)));
        return jks;
    }
}
