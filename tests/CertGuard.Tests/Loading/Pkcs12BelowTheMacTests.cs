using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using CertGuard.Tests.Fuzzing;

namespace CertGuard.Tests.Loading;

/// <summary>
/// From the re-sealing fuzzer (docs/reliability.md): archives whose MAC is valid for the given password but whose
/// contents are hostile. Each test mints its archive, changes one thing below the MAC and seals it again.
/// </summary>
public sealed class Pkcs12BelowTheMacTests
{
    private const string Password = "below-the-mac";
    private const string ShroudedKeyBag = "1.2.840.113549.1.12.10.1.2";

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Corrupt_contents_behind_a_valid_mac_are_corrupt_not_a_wrong_password()
    {
        // A certificate bag holding SEQUENCE { INTEGER 5 }: the password opens the MAC, the contents are broken.
        var contents = new Pkcs12SafeContents();
        contents.AddSafeBag(CertBag([0x30, 0x03, 0x02, 0x01, 0x05]));
        var builder = new Pkcs12Builder();
        builder.AddSafeContentsUnencrypted(contents);
        builder.SealWithMac(Password, HashAlgorithmName.SHA256, 16);

        var error = Assert.Single((await LoadAsync(builder.Encode())).Errors);

        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.StartsWith("the PKCS#12 archive cannot be read (", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_encryption_algorithm_is_a_load_error_of_the_archive_reader()
    {
        var opened = Open(new PbeParameters(PbeEncryptionAlgorithm.TripleDes3KeyPkcs12, HashAlgorithmName.SHA1, 16), keyInside: false);
        var tree = opened.AuthenticatedSafe.Clone();
        var tripleDes = tree.Walk().Select(p => p.Node).First(n => n.HasTag(0x06) && Convert.ToHexString(n.Content) == "2A864886F70D010C0103");
        tripleDes.Content[^1] = 99; // 1.2.840.113549.1.12.1.99: shaped like PKCS#12 PBE, known to no one

        var error = Assert.Single((await LoadAsync(opened.Reseal(tree))).Errors);

        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.StartsWith("the PKCS#12 archive cannot be read (", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("010000000000000000", "18446744073709551616")]
    [InlineData("00FFFFFFFFFFFFFFFF", "18446744073709551615")]
    [InlineData("FF", "-1")]
    public async Task An_iteration_count_beyond_64_bits_is_refused_by_the_guard(string integer, string shown)
    {
        var opened = Open(new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 16), keyInside: false);
        var tree = opened.AuthenticatedSafe.Clone();
        var contentsIterations = tree.Walk().Select(p => p.Node).First(n => n.HasTag(0x02) && n.Content is [16]);
        contentsIterations.Content = Convert.FromHexString(integer);

        var error = Assert.Single((await LoadAsync(opened.Reseal(tree))).Errors);

        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.Contains($"asks for {shown} key-derivation iterations", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PbeEncryptionAlgorithm.Aes256Cbc)]
    [InlineData(PbeEncryptionAlgorithm.TripleDes3KeyPkcs12)]
    public async Task A_key_inside_encrypted_contents_asking_for_millions_of_iterations_is_refused_not_derived(PbeEncryptionAlgorithm algorithm)
    {
        // The guard cannot see this count without the password; the platform refuses it (over 300,000), and the
        // BouncyCastle fallback ran it, as it runs anything up to its own cap of 5,000,000: 6 s of CPU per such key
        // (measured, quiet machine), and an archive may hold hundreds of keys.
        var hash = algorithm == PbeEncryptionAlgorithm.Aes256Cbc ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        var opened = Open(new PbeParameters(algorithm, hash, 16), keyInside: true);
        var tree = opened.AuthenticatedSafe.Clone();
        var keyBag = tree.Walk().Select(p => p.Node).First(n => n.Children is [var oid, ..] && oid.HasTag(0x06) && Convert.ToHexString(oid.Content) == "2A864886F70D010C0A0102");
        var keyIterations = keyBag.Walk().Select(p => p.Node).First(n => n.HasTag(0x02) && n.Content is [16]);
        keyIterations.Content = [0x4C, 0x4B, 0x3F]; // 4,999,999

        var error = Assert.Single((await LoadAsync(opened.Reseal(tree))).Errors);

        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.Contains("private key asks for 4999999 key-derivation iterations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_whose_dates_the_platform_reads_lazily_is_a_load_error_not_an_inspection_crash()
    {
        // The fuzzer turned notBefore "300605120000Z" into "30 605120000Z": the platform's PKCS#12 loader accepts it and
        // throws only when the dates are read, which inspection did.
        using var certificate = TestCertificates.Create("CN=lazy-dates", key: KeyKind.EcP256);
        var der = certificate.RawData;
        var utcTime = der.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x30, 0x1E, 0x17, 0x0D]) + 2; // Validity { UTCTime notBefore, ... }
        der[utcTime + 4] = (byte)' ';
        var contents = new Pkcs12SafeContents();
        contents.AddSafeBag(CertBag(der));
        var builder = new Pkcs12Builder();
        builder.AddSafeContentsUnencrypted(contents);
        builder.SealWithMac(Password, HashAlgorithmName.SHA256, 16);

        using var result = await LoadAsync(builder.Encode());

        Assert.Empty(result.Certificates);
        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.Contains("validity dates cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pbes2_key_derivation_whose_identifier_is_not_pbkdf2_is_still_counted()
    {
        // From the 100,000 run (9.2 s): PBKDF2's identifier replaced by SHA-256's and 4,999,999 iterations. The guard
        // skipped KDFs other than PBKDF2, the platform refused the unknown KDF, and BouncyCastle ran the parameters as
        // PBKDF2's all the same.
        var opened = Open(new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 16), keyInside: false);
        var tree = opened.AuthenticatedSafe.Clone();
        var pbkdf2 = tree.Walk().Select(p => p.Node).First(n => n.HasTag(0x06) && Convert.ToHexString(n.Content) == "2A864886F70D01050C");
        pbkdf2.Content = Convert.FromHexString("608648016503040201");
        tree.Walk().Select(p => p.Node).First(n => n.HasTag(0x02) && n.Content is [16]).Content = [0x4C, 0x4B, 0x3F];

        var error = Assert.Single((await LoadAsync(opened.Reseal(tree))).Errors);

        Assert.Contains("encrypted contents asks for 4999999 key-derivation iterations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_within_the_limit_one_by_one_but_over_it_together_are_refused()
    {
        // Four keys at the platform's per-key limit of 300,000: the platform refuses the 1,200,000 in all (its total
        // limit is 1,000,000), and the BouncyCastle fallback derived them all; with hundreds of keys, minutes.
        using var certificate = TestCertificates.Create("CN=many-keys", key: KeyKind.EcP256);
        var contents = new Pkcs12SafeContents();
        contents.AddCertificate(certificate);
        var atTheLimit = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 300_000);
        for (var i = 0; i < 4; i++)
        {
            contents.AddShroudedKey(certificate.GetECDsaPrivateKey()!, Password, atTheLimit);
        }

        var builder = new Pkcs12Builder();
        builder.AddSafeContentsUnencrypted(contents);
        builder.SealWithMac(Password, HashAlgorithmName.SHA256, 16);

        var error = Assert.Single((await LoadAsync(builder.Encode())).Errors);

        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.Contains("asks for 1200000 key-derivation iterations in all, over the limit of 1000000", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A certificate bag holding any bytes: its value is an OCTET STRING around them.</summary>
    private static Pkcs12CertBag CertBag(byte[] certificate)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        writer.WriteOctetString(certificate);
        return new Pkcs12CertBag(new Oid("1.2.840.113549.1.9.22.1"), writer.Encode());
    }

    private static OpenedPfx Open(PbeParameters encryption, bool keyInside)
    {
        using var certificate = TestCertificates.Create("CN=below-the-mac", key: KeyKind.EcP256);
        var contents = new Pkcs12SafeContents();
        contents.AddCertificate(certificate);
        if (keyInside)
        {
            contents.AddShroudedKey(certificate.GetECDsaPrivateKey()!, Password, encryption);
        }

        var builder = new Pkcs12Builder();
        builder.AddSafeContentsEncrypted(contents, Password, encryption);
        builder.SealWithMac(Password, HashAlgorithmName.SHA256, 16);
        return OpenedPfx.Open(ShroudedKeyBag, builder.Encode(), Password);
    }

    /// <summary>Loads on another thread, so a regression fails after the hang guard instead of hanging the run.</summary>
    private static async Task<CertificateLoadResult> LoadAsync(byte[] pfx) =>
        await Task.Run(() => CertificateLoader.Load(pfx, "below-the-mac.pfx", new CertificateLoadOptions { Passwords = [Password] })).WaitAsync(HangGuard);

    [Fact]
    public void An_archive_the_platform_reads_is_never_refused_by_the_stricter_fallback_parser()
    {
        // BouncyCastle refuses bytes after the PFX ("extra data found after object"); the platform reads the archive.
        // The fallback's parse and guard run only once the platform has failed.
        using var certificate = TestCertificates.Create("CN=trailing");
        var data = certificate.Export(X509ContentType.Pfx, "pw").Concat(new byte[] { 0, 0, 1 }).ToArray();

        using var result = CertificateLoader.Load(data, "trailing.pfx", new CertificateLoadOptions { Passwords = ["pw"] });

        Assert.Empty(result.Errors);
        var loaded = Assert.Single(result.Certificates);
        Assert.Equal("CN=trailing", loaded.Certificate.Subject);
        Assert.True(loaded.HasPrivateKey);
    }
}
