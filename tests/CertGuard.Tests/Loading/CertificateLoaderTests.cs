using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertGuard.Loading;

namespace CertGuard.Tests.Loading;

public sealed class CertificateLoaderTests : IDisposable
{
    private const string Password = "s3cr3t-Pa55w0rd!";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Pem_with_one_certificate_loads_it_without_an_entry_name()
    {
        using var leaf = TestCertificates.Create();
        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(TestCertificates.Pem(leaf)), "leaf.pem");

        var loaded = Assert.Single(result.Certificates);
        Assert.Empty(result.Errors);
        Assert.Equal(leaf.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.Equal(CertificateFormat.Pem, loaded.Format);
        Assert.Null(loaded.Entry);
        Assert.Equal(PrivateKeyProtection.Absent, loaded.PrivateKeyProtection);
    }

    [Fact]
    public void Pem_full_chain_loads_every_certificate_and_gives_the_leaf_the_rest_as_its_presented_chain()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();
        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(TestCertificates.Pem(leaf, intermediate, root)), "fullchain.pem");

        Assert.Equal(3, result.Certificates.Count);
        Assert.Equal(["1", "2", "3"], result.Certificates.Select(c => c.Entry));
        Assert.Equal([intermediate.Thumbprint, root.Thumbprint], result.Certificates[0].PresentedChain.Select(c => c.Thumbprint));
        Assert.Empty(result.Certificates[1].PresentedChain);
    }

    [Fact]
    public void Pem_with_text_around_blocks_and_a_trusted_certificate_block_loads_both()
    {
        using var first = TestCertificates.Create("CN=first");
        using var second = TestCertificates.Create("CN=second");
        var trusted = PemEncoding.WriteString("TRUSTED CERTIFICATE", [.. second.RawData, 0x30, 0x03, 0x06, 0x01, 0x00]);
        var text = "subject=CN=first\nissuer=CN=first\n" + first.ExportCertificatePem() + "\nsome comment\n" + trusted + "\n";

        using var result = CertificateLoader.Load(Encoding.UTF8.GetBytes(text), "mixed.pem");

        Assert.Empty(result.Errors);
        Assert.Equal(["CN=first", "CN=second"], result.Certificates.Select(c => c.Certificate.Subject));
    }

    [Fact]
    public void Pem_with_an_unencrypted_key_that_matches_is_recorded_as_unencrypted()
    {
        using var leaf = TestCertificates.Create(key: KeyKind.EcP256);
        var text = TestCertificates.Pem(leaf) + TestCertificates.PrivateKeyPem(leaf);

        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(text), "leaf-with-key.pem");

        Assert.Empty(result.Errors);
        Assert.Equal(PrivateKeyProtection.Unencrypted, Assert.Single(result.Certificates).PrivateKeyProtection);
    }

    [Fact]
    public void Pem_with_an_encrypted_key_is_recorded_as_encrypted()
    {
        using var leaf = TestCertificates.Create();
        var text = TestCertificates.Pem(leaf) + TestCertificates.EncryptedPrivateKeyPem(leaf, Password);

        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(text), "leaf-with-encrypted-key.pem");

        Assert.Equal(PrivateKeyProtection.Encrypted, Assert.Single(result.Certificates).PrivateKeyProtection);
    }

    [Fact]
    public void Pem_with_a_key_of_another_certificate_reports_a_key_mismatch_and_still_loads_the_certificate()
    {
        using var leaf = TestCertificates.Create();
        using var other = TestCertificates.Create("CN=other");
        var text = TestCertificates.Pem(leaf) + TestCertificates.PrivateKeyPem(other);

        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(text), "mismatch.pem");

        Assert.Equal(PrivateKeyProtection.Absent, Assert.Single(result.Certificates).PrivateKeyProtection);
        Assert.Equal(LoadErrorReason.KeyMismatch, Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void Separate_key_file_is_matched_to_the_certificate()
    {
        using var leaf = TestCertificates.Create();
        var certificatePath = _directory.Write("tls.crt", TestCertificates.Pem(leaf));
        var keyPath = _directory.Write("tls.key", TestCertificates.PrivateKeyPem(leaf));

        using var result = CertificateLoader.LoadFile(certificatePath, new CertificateLoadOptions { KeyPath = keyPath });

        Assert.Empty(result.Errors);
        Assert.Equal(PrivateKeyProtection.Unencrypted, Assert.Single(result.Certificates).PrivateKeyProtection);
    }

    [Fact]
    public void Separate_key_file_that_is_missing_is_reported_against_the_key_path()
    {
        using var leaf = TestCertificates.Create();
        var certificatePath = _directory.Write("tls.crt", TestCertificates.Pem(leaf));
        var keyPath = Path.Combine(_directory.Path, "missing.key");

        using var result = CertificateLoader.LoadFile(certificatePath, new CertificateLoadOptions { KeyPath = keyPath });

        Assert.Single(result.Certificates);
        var error = Assert.Single(result.Errors);
        Assert.Equal(keyPath, error.Location);
        Assert.Equal(LoadErrorReason.NotFound, error.Reason);
    }

    [Fact]
    public void Key_only_pem_is_no_certificate()
    {
        using var leaf = TestCertificates.Create();
        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(TestCertificates.PrivateKeyPem(leaf)), "key.pem");

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.NoCertificate, error.Reason);
        Assert.Contains("private key but no certificate", error.Message);
        Assert.Empty(result.Certificates);
    }

    [Fact]
    public void Pem_without_an_end_line_is_corrupt_and_names_the_block()
    {
        using var leaf = TestCertificates.Create();
        var pem = leaf.ExportCertificatePem();
        var truncated = pem[..(pem.Length / 2)];

        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(truncated), "truncated.pem");

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.Contains("no END line", error.Message);
    }

    [Fact]
    public void Pem_with_invalid_base64_is_corrupt()
    {
        var text = "-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64***\n-----END CERTIFICATE-----\n";
        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(text), "bad.pem");

        Assert.Equal(LoadErrorReason.Corrupt, Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void One_corrupt_block_in_a_bundle_does_not_hide_the_good_ones()
    {
        using var good = TestCertificates.Create();
        var bad = PemEncoding.WriteString("CERTIFICATE", [0x30, 0x03, 0x02, 0x01, 0x00]);
        var text = good.ExportCertificatePem() + "\n" + bad + "\n" + good.ExportCertificatePem();

        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(text), "bundle.pem");

        Assert.Equal(2, result.Certificates.Count);
        var error = Assert.Single(result.Errors);
        Assert.Equal("bundle.pem#2", error.Location);
        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
    }

    [Fact]
    public void Der_certificate_loads()
    {
        using var leaf = TestCertificates.Create();
        using var result = CertificateLoader.Load(leaf.RawData, "leaf.der");

        Assert.Equal(CertificateFormat.Der, Assert.Single(result.Certificates).Format);
    }

    [Fact]
    public void Base64_der_without_pem_armour_loads()
    {
        using var leaf = TestCertificates.Create();
        var text = Convert.ToBase64String(leaf.RawData, Base64FormattingOptions.InsertLineBreaks);

        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(text), "leaf.b64");

        Assert.Equal(leaf.Thumbprint, Assert.Single(result.Certificates).Certificate.Thumbprint);
    }

    [Fact]
    public void Truncated_der_is_corrupt()
    {
        using var leaf = TestCertificates.Create();
        using var result = CertificateLoader.Load(leaf.RawData[..(leaf.RawData.Length - 40)], "truncated.der");

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.Corrupt, error.Reason);
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x20, 0x0A, 0x0D, 0x09 })]
    public void Empty_content_is_empty(byte[] data)
    {
        using var result = CertificateLoader.Load(data, "empty.pem");
        Assert.Equal(LoadErrorReason.Empty, Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void Text_that_is_no_certificate_is_unrecognized()
    {
        using var result = CertificateLoader.Load(Encoding.UTF8.GetBytes("server { listen 443 ssl; }\n"), "nginx.conf");

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.UnrecognizedFormat, error.Reason);
        Assert.Equal("nginx.conf", error.Location);
    }

    [Fact]
    public void Pfx_with_password_loads_leaf_with_its_chain_and_records_the_key_as_encrypted()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();
        using var intermediatePublic = X509CertificateLoader.LoadCertificate(intermediate.RawData);
        using var rootPublic = X509CertificateLoader.LoadCertificate(root.RawData);
        var pfx = TestCertificates.Pfx(leaf, Password, intermediatePublic, rootPublic);

        using var result = CertificateLoader.Load(pfx, "site.pfx", new CertificateLoadOptions { Passwords = ["wrong", Password] });

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Certificates.Count);
        var withKey = Assert.Single(result.Certificates, c => c.HasPrivateKey);
        Assert.Equal(leaf.Thumbprint, withKey.Certificate.Thumbprint);
        Assert.Equal(PrivateKeyProtection.Encrypted, withKey.PrivateKeyProtection);
        Assert.Equal(2, withKey.PresentedChain.Count);
    }

    [Fact]
    public void Pfx_without_password_loads_and_its_key_counts_as_unencrypted()
    {
        using var leaf = TestCertificates.Create();
        using var result = CertificateLoader.Load(TestCertificates.Pfx(leaf, null), "open.pfx");

        Assert.Equal(PrivateKeyProtection.Unencrypted, Assert.Single(result.Certificates).PrivateKeyProtection);
    }

    [Fact]
    public void Pfx_with_a_password_and_none_given_requires_a_password()
    {
        using var leaf = TestCertificates.Create();
        using var result = CertificateLoader.Load(TestCertificates.Pfx(leaf, Password), "site.pfx");

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.PasswordRequired, error.Reason);
        Assert.Equal("site.pfx", error.Location);
    }

    [Fact]
    public void Pfx_with_wrong_passwords_is_wrong_password_and_never_echoes_them()
    {
        using var leaf = TestCertificates.Create();
        var options = new CertificateLoadOptions { Passwords = ["guess-one-Xyz", "guess-two-Abc"] };

        using var result = CertificateLoader.Load(TestCertificates.Pfx(leaf, Password), "site.pfx", options);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.WrongPassword, error.Reason);
        foreach (var text in new[] { error.Message, error.ToString(), options.ToString() })
        {
            Assert.DoesNotContain("guess-one-Xyz", text);
            Assert.DoesNotContain("guess-two-Abc", text);
            Assert.DoesNotContain(Password, text);
        }
    }

    [Fact]
    public void Damaged_pfx_is_corrupt()
    {
        using var leaf = TestCertificates.Create();
        var pfx = TestCertificates.Pfx(leaf, Password);
        pfx[pfx.Length / 2] ^= 0xFF;
        pfx[pfx.Length / 2 + 1] ^= 0xFF;

        using var result = CertificateLoader.Load(pfx, "damaged.pfx", new CertificateLoadOptions { Passwords = [Password] });

        Assert.Empty(result.Certificates);
        Assert.Contains(Assert.Single(result.Errors).Reason, new[] { LoadErrorReason.Corrupt, LoadErrorReason.WrongPassword });
    }

    [Fact]
    public void Legacy_pfx_encrypted_with_3des_loads()
    {
        using var leaf = TestCertificates.Create();
        var collection = new X509Certificate2Collection { leaf };
        var builder = new System.Security.Cryptography.Pkcs.Pkcs12Builder();
        var contents = new System.Security.Cryptography.Pkcs.Pkcs12SafeContents();
        contents.AddCertificate(leaf);
        var legacy = new PbeParameters(PbeEncryptionAlgorithm.TripleDes3KeyPkcs12, HashAlgorithmName.SHA1, 2048);
        contents.AddShroudedKey(leaf.GetRSAPrivateKey()!, Password, legacy);
        builder.AddSafeContentsEncrypted(contents, Password, legacy);
        builder.SealWithMac(Password, HashAlgorithmName.SHA1, 2048);

        using var result = CertificateLoader.Load(builder.Encode(), "legacy.pfx", new CertificateLoadOptions { Passwords = [Password] });

        Assert.Empty(result.Errors);
        Assert.True(Assert.Single(result.Certificates).HasPrivateKey);
    }

    [Fact]
    public void Pkcs7_der_bundle_loads_every_certificate()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();
        var p7b = new X509Certificate2Collection { leaf, intermediate, root }.Export(X509ContentType.Pkcs7)!;

        using var result = CertificateLoader.Load(p7b, "chain.p7b");

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Certificates.Count);
        Assert.All(result.Certificates, c => Assert.Equal(CertificateFormat.Pkcs7, c.Format));
    }

    [Fact]
    public void Pkcs7_pem_bundle_loads()
    {
        var (root, _, leaf) = TestCertificates.CreateChain();
        var p7b = new X509Certificate2Collection { leaf, root }.Export(X509ContentType.Pkcs7)!;

        using var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(PemEncoding.WriteString("PKCS7", p7b)), "chain.p7c");

        Assert.Equal(2, result.Certificates.Count);
    }

    [Fact]
    public void Java_keystore_loads_key_entries_with_chain_and_trusted_entries()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();
        var jks = JavaKeyStores.Create("changeit", ("server", leaf, new[] { intermediate }), ("ca", root, null));

        using var result = CertificateLoader.Load(jks, "keystore.jks", new CertificateLoadOptions { Passwords = ["changeit"] });

        Assert.Empty(result.Errors);
        var server = Assert.Single(result.Certificates, c => c.Entry == "server");
        Assert.Equal(PrivateKeyProtection.Encrypted, server.PrivateKeyProtection);
        Assert.Equal(intermediate.Thumbprint, Assert.Single(server.PresentedChain).Thumbprint);
        Assert.Contains(result.Certificates, c => c.Entry == "ca" && !c.HasPrivateKey);
        Assert.All(result.Certificates, c => Assert.Equal(CertificateFormat.JavaKeyStore, c.Format));
    }

    [Fact]
    public void Java_keystore_without_a_password_is_read_unchecked()
    {
        using var root = TestCertificates.Create("CN=root", isCa: true);
        var jks = JavaKeyStores.Create("changeit", ("ca", root, null));

        using var result = CertificateLoader.Load(jks, "truststore.jks");

        Assert.Equal(root.Thumbprint, Assert.Single(result.Certificates).Certificate.Thumbprint);
    }

    [Fact]
    public void Java_keystore_with_a_wrong_password_fails_its_integrity_check()
    {
        using var root = TestCertificates.Create("CN=root", isCa: true);
        var jks = JavaKeyStores.Create("changeit", ("ca", root, null));

        using var result = CertificateLoader.Load(jks, "truststore.jks", new CertificateLoadOptions { Passwords = ["not-it"] });

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.WrongPassword, error.Reason);
        Assert.DoesNotContain("not-it", error.Message);
    }

    [Fact]
    public void Truncated_java_keystore_is_corrupt()
    {
        using var root = TestCertificates.Create("CN=root", isCa: true);
        var jks = JavaKeyStores.Create("changeit", ("ca", root, null));

        using var result = CertificateLoader.Load(jks[..(jks.Length / 2)], "truncated.jks");

        Assert.Equal(LoadErrorReason.Corrupt, Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void Jceks_keystore_is_reported_as_unsupported_with_a_way_out()
    {
        using var result = CertificateLoader.Load([0xCE, 0xCE, 0xCE, 0xCE, 0, 0, 0, 2, 0, 0, 0, 0], "store.jceks");

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.UnsupportedFormat, error.Reason);
        Assert.Contains("keytool", error.Message);
    }

    [Fact]
    public void Missing_file_is_not_found_and_names_the_path()
    {
        var path = Path.Combine(_directory.Path, "nope.pem");
        using var result = CertificateLoader.LoadFile(path);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.NotFound, error.Reason);
        Assert.Equal(path, error.Location);
    }

    [Fact]
    public void Directory_given_as_a_file_is_reported()
    {
        using var result = CertificateLoader.LoadFile(_directory.Path);
        Assert.Equal(LoadErrorReason.UnrecognizedFormat, Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void File_over_the_size_limit_is_refused_without_being_read()
    {
        var path = Path.Combine(_directory.Path, "huge.pem");
        using (var stream = File.Create(path))
        {
            stream.SetLength(3L * 1024 * 1024 * 1024); // sparse: 3 GiB on paper, nothing on disk
        }

        using var result = CertificateLoader.LoadFile(path);

        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.TooLarge, error.Reason);
        Assert.Contains("was not read", error.Message);
    }

    [Fact]
    public void Bytes_over_the_size_limit_are_refused()
    {
        using var result = CertificateLoader.Load(new byte[2048], "big.bin", new CertificateLoadOptions { MaxSize = 1024 });
        Assert.Equal(LoadErrorReason.TooLarge, Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void Disposing_the_result_disposes_the_certificates_once_even_when_shared_with_a_chain()
    {
        var (root, intermediate, leaf) = TestCertificates.CreateChain();
        var result = CertificateLoader.Load(Encoding.ASCII.GetBytes(TestCertificates.Pem(leaf, intermediate, root)), "fullchain.pem");
        var certificates = result.Certificates.Select(c => c.Certificate).ToList();

        result.Dispose();

        Assert.All(certificates, c => Assert.Throws<CryptographicException>(() => c.GetCertHash()));
    }
}
