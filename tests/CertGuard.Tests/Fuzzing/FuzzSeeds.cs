using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertGuard.Tests.Corpora;
using CertGuard.Tests.Loading;

namespace CertGuard.Tests.Fuzzing;

/// <summary>Starting inputs per format: real certificates from the corpora where there are some, minted ones otherwise.</summary>
internal static class FuzzSeeds
{
    public const string Password = "fuzz-password";

    public static IReadOnlyList<byte[]> For(string format) => format switch
    {
        "der" => CorpusCertificates().Select(c => c.RawData).ToList(),
        "pem" => CorpusCertificates().Chunk(3).Select(chunk => Encoding.ASCII.GetBytes(string.Concat(chunk.Select(c => c.ExportCertificatePem() + "\n")))).ToList(),
        "pfx" => Minted().Select(c => TestCertificates.Pfx(c, Password)).Concat(CorpusFiles("formats-pyca", "*.p12")).ToList(),
        "p7b" => CorpusCertificates().Chunk(4).Select(chunk => new X509Certificate2Collection(chunk).Export(X509ContentType.Pkcs7)!).Concat(CorpusFiles("formats-pyca", "*.p7b")).ToList(),
        "jks" => JavaKeyStoreSeeds(),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static List<X509Certificate2> CorpusCertificates()
    {
        if (Corpus.Root is null)
        {
            return Minted();
        }

        return Directory.GetFiles(Path.Combine(Corpus.Root, "parse-zlint"), "*.pem")
            .Order(StringComparer.Ordinal)
            .Where((_, i) => i % 10 == 0)
            .Select(path =>
            {
                try
                {
                    return X509Certificate2.CreateFromPem(File.ReadAllText(path));
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    return null;
                }
            })
            .OfType<X509Certificate2>()
            .ToList();
    }

    private static IEnumerable<byte[]> CorpusFiles(string folder, string pattern) =>
        Corpus.Root is null ? [] : Directory.GetFiles(Path.Combine(Corpus.Root, folder), pattern).Order(StringComparer.Ordinal).Select(File.ReadAllBytes);

    private static List<byte[]> JavaKeyStoreSeeds()
    {
        var minted = Minted();
        return
        [
            JavaKeyStores.Create(Password, ("server", minted[0], Array.Empty<X509Certificate2>()), ("ca", minted[1], null)),
            JavaKeyStores.Create(Password, ("ca", minted[1], null)),
            .. CorpusCertificates().Chunk(5).Select(TryJavaKeyStore).OfType<byte[]>(),
        ];
    }

    /// <summary>BouncyCastle refuses to store some odd corpus certificates (an empty issuer name): those make no seed.</summary>
    private static byte[]? TryJavaKeyStore(X509Certificate2[] certificates)
    {
        try
        {
            return JavaKeyStores.Create(Password, certificates.Select((c, i) => ($"ca{i}", c, (X509Certificate2[]?)null)).ToArray());
        }
        catch (Org.BouncyCastle.Security.Certificates.CertificateException)
        {
            return null;
        }
    }

    private static List<X509Certificate2> Minted() =>
    [
        TestCertificates.Create("CN=fuzz-rsa", dnsNames: ["a.test", "192.0.2.1"]),
        TestCertificates.Create("CN=fuzz-ec", key: KeyKind.EcP256, isCa: true),
    ];
}
