using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using CertGuard.Inspection;
using CertGuard.Loading;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace CertGuard.Benchmarks;

/// <summary>
/// Loading (and loading plus inspection) of one certificate per format, against the bare platform loader and the bare
/// BouncyCastle parser on the same bytes. The ratio to the platform is what CertGuard's detection, error handling and
/// fact reading cost.
/// </summary>
[MemoryDiagnoser]
public class LoadingBenchmarks
{
    private const string Password = "benchmark";
    private readonly CertificateInspector _inspector = new();
    private readonly CertificateLoadOptions _options = new() { Passwords = [Password] };
    private byte[] _data = [];
    private string _pemText = string.Empty;

    /// <summary>The format loaded.</summary>
    [Params("pem", "der", "pfx", "jks")]
    public string Format { get; set; } = "pem";

    /// <summary>Mints one RSA 2048 leaf and encodes it in the chosen format.</summary>
    [GlobalSetup]
    public void Setup()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=benchmark.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("benchmark.example.test");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        _pemText = certificate.ExportCertificatePem();
        _data = Format switch
        {
            "pem" => Encoding.ASCII.GetBytes(_pemText),
            "der" => certificate.RawData,
            "pfx" => certificate.Export(X509ContentType.Pkcs12, Password),
            "jks" => JavaKeyStore(certificate),
            _ => throw new InvalidOperationException(Format),
        };
    }

    /// <summary>The platform's own loader (BouncyCastle's keystore reader for JKS, which the platform cannot read).</summary>
    [Benchmark(Baseline = true)]
    public object Platform()
    {
        switch (Format)
        {
            case "pem":
                using (var certificate = X509Certificate2.CreateFromPem(_pemText))
                {
                    return certificate.NotAfter;
                }

            case "der":
                using (var certificate = X509CertificateLoader.LoadCertificate(_data))
                {
                    return certificate.NotAfter;
                }

            case "pfx":
                using (var certificate = X509CertificateLoader.LoadPkcs12(_data, Password, X509KeyStorageFlags.EphemeralKeySet))
                {
                    return certificate.NotAfter;
                }

            default:
                var store = new JksStore();
                store.Load(new MemoryStream(_data), Password.ToCharArray());
                return store.Count;
        }
    }

    /// <summary>BouncyCastle's managed parsers on the same bytes.</summary>
    [Benchmark]
    public object BouncyCastle()
    {
        switch (Format)
        {
            case "pem":
            case "der":
                return new X509CertificateParser().ReadCertificate(_data).NotAfter;
            case "pfx":
                var pkcs12 = new Pkcs12StoreBuilder().Build();
                pkcs12.Load(new MemoryStream(_data), Password.ToCharArray());
                return pkcs12.Count;
            default:
                var store = new JksStore();
                store.Load(new MemoryStream(_data), Password.ToCharArray());
                return store.Count;
        }
    }

    /// <summary>CertGuard's loader: content detection, loading, error handling.</summary>
    [Benchmark]
    public int CertGuardLoad()
    {
        using var result = CertificateLoader.Load(_data, "benchmark", _options);
        return result.Certificates.Count;
    }

    /// <summary>CertGuard's loader followed by every fact the inspector reads (no chain building).</summary>
    [Benchmark]
    public DateTimeOffset CertGuardLoadAndInspect()
    {
        using var result = CertificateLoader.Load(_data, "benchmark", _options);
        return _inspector.Inspect(result.Certificates[0]).NotAfter;
    }

    private static byte[] JavaKeyStore(X509Certificate2 certificate)
    {
        var store = new JksStore();
        store.SetCertificateEntry("benchmark", new X509CertificateParser().ReadCertificate(certificate.RawData));
        using var stream = new MemoryStream();
        store.Save(stream, Password.ToCharArray());
        return stream.ToArray();
    }
}
