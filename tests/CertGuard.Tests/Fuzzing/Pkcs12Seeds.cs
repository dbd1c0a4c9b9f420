using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Tests.Corpora;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// PFX seeds in the shapes the loader meets, minted at run time with a known password, plus the corpus's real
/// archives with theirs. Minted shapes use small iteration counts, so a fuzz run spends its time in parsers, not KDFs.
/// </summary>
internal static class Pkcs12Seeds
{
    public const string Password = "fuzz-password";
    private const int Iterations = 16;

    private static readonly Lazy<IReadOnlyList<(string Name, byte[] Pfx, string? Password)>> All = new(Create);

    /// <summary>Each seed's name, bytes and password (<see langword="null"/>: the NULL password; empty: the empty one).</summary>
    public static IReadOnlyList<(string Name, byte[] Pfx, string? Password)> Files => All.Value;

    public static IReadOnlyList<OpenedPfx> Opened() => Files.Select(s => OpenedPfx.Open(s.Name, s.Pfx, s.Password, iterations: Iterations)).ToList();

    private static List<(string, byte[], string?)> Create()
    {
        using var ca = TestCertificates.Create("CN=fuzz-p12-ca", key: KeyKind.EcP256, isCa: true);
        using var leaf = TestCertificates.Create("CN=fuzz-p12-leaf", key: KeyKind.EcP256, dnsNames: ["p12.test"], issuer: ca);
        using var rsaLeaf = TestCertificates.Create("CN=fuzz-p12-rsa", dnsNames: ["rsa.p12.test"]);
        var aes = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations);
        var tripleDes = new PbeParameters(PbeEncryptionAlgorithm.TripleDes3KeyPkcs12, HashAlgorithmName.SHA1, Iterations);

        var seeds = new List<(string, byte[], string?)>
        {
            ("dotnet-export-aes", new X509Certificate2Collection { rsaLeaf, ca }.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, Password), Password),
            ("unencrypted-certs", Build(HashAlgorithmName.SHA256, b =>
            {
                b.AddSafeContentsUnencrypted(Bags(leaf, ca, key: null, keyParameters: aes));
                b.AddSafeContentsUnencrypted(Bags(null, null, leaf, aes));
            }), Password),
            ("legacy-3des", Build(HashAlgorithmName.SHA1, b =>
            {
                b.AddSafeContentsEncrypted(Bags(leaf, ca, key: null, keyParameters: tripleDes), Password, tripleDes);
                b.AddSafeContentsUnencrypted(Bags(null, null, leaf, tripleDes));
            }), Password),
            ("key-inside-encrypted", Build(HashAlgorithmName.SHA256, b => b.AddSafeContentsEncrypted(Bags(leaf, ca, leaf, aes), Password, aes)), Password),
            ("nested-safe-contents", Build(HashAlgorithmName.SHA256, b =>
            {
                var outer = new Pkcs12SafeContents();
                outer.AddNestedContents(Bags(leaf, ca, leaf, aes));
                b.AddSafeContentsUnencrypted(outer);
            }), Password),
            ("no-mac", NoMac(leaf), null),
            ("bouncycastle-rc2", BouncyCastleRc2(leaf, ca), Password),
        };

        if (Corpus.Root is not null)
        {
            foreach (var row in Corpus.Table("formats-pyca.passwords.tsv"))
            {
                var password = row["password"].StartsWith("(none", StringComparison.Ordinal) ? null : row["password"];
                seeds.Add(($"corpus/{row["file"]}", File.ReadAllBytes(Corpus.PathOf("formats-pyca", row["file"])), password));
            }
        }

        return seeds;
    }

    private static Pkcs12SafeContents Bags(X509Certificate2? certificate, X509Certificate2? chain, X509Certificate2? key, PbeParameters keyParameters)
    {
        var contents = new Pkcs12SafeContents();
        if (certificate is not null)
        {
            var bag = contents.AddCertificate(certificate);
            bag.Attributes.Add(new Pkcs9LocalKeyId([1, 2, 3, 4]));
            bag.Attributes.Add(new Pkcs9AttributeObject(new Oid("1.2.840.113549.1.9.20"), new byte[] { 0x1E, 0x04, 0, 0x70, 0, 0x31 }));
        }

        if (chain is not null)
        {
            contents.AddCertificate(chain);
        }

        if (key is not null)
        {
            var bag = contents.AddShroudedKey(key.GetECDsaPrivateKey()!, Password, keyParameters);
            bag.Attributes.Add(new Pkcs9LocalKeyId([1, 2, 3, 4]));
        }

        return contents;
    }

    private static byte[] Build(HashAlgorithmName macHash, Action<Pkcs12Builder> add)
    {
        var builder = new Pkcs12Builder();
        add(builder);
        builder.SealWithMac(Password, macHash, Iterations);
        return builder.Encode();
    }

    private static byte[] NoMac(X509Certificate2 leaf)
    {
        var contents = new Pkcs12SafeContents();
        contents.AddCertificate(leaf);
        contents.AddKeyUnencrypted(leaf.GetECDsaPrivateKey()!);
        var builder = new Pkcs12Builder();
        builder.AddSafeContentsUnencrypted(contents);
        builder.SealWithoutIntegrity();
        return builder.Encode();
    }

    /// <summary>BouncyCastle's defaults: certificates under RC2-40, the key under 3DES, as older tools wrote them.</summary>
    private static byte[] BouncyCastleRc2(X509Certificate2 leaf, X509Certificate2 ca)
    {
        var parser = new X509CertificateParser();
        var store = new Pkcs12StoreBuilder().SetUseDerEncoding(true).Build();
        var key = PrivateKeyFactory.CreateKey(leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey());
        store.SetKeyEntry("leaf", new AsymmetricKeyEntry(key), [new X509CertificateEntry(parser.ReadCertificate(leaf.RawData)), new X509CertificateEntry(parser.ReadCertificate(ca.RawData))]);
        using var output = new MemoryStream();
        store.Save(output, Password.ToCharArray(), new SecureRandom());
        return output.ToArray();
    }
}
