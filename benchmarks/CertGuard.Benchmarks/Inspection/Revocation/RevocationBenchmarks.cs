using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using CertGuard.Loading;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Benchmarks.Inspection.Revocation;

/// <summary>
/// What revocation costs a monitor: reading a CRL once per nextUpdate, looking serials up in it, and a check answered
/// from the cache (the steady state of every refresh).
/// </summary>
[MemoryDiagnoser]
public class RevocationBenchmarks : IDisposable
{
    private static readonly Uri CrlUrl = new("http://crl.test/ca.crl");
    private readonly List<BigInteger> _serials = [];
    private ECDsa _caKey = null!;
    private X509Certificate2 _ca = null!;
    private X509Certificate2 _leaf = null!;
    private BcCertificate _bcCa = null!;
    private byte[] _crl = null!;
    private VerifiedCrl _verified = null!;
    private OcspCrlRevocationChecker _checker = null!;
    private LoadedCertificate _loaded = null!;
    private CertificateFacts _facts = null!;
    private int _next;

    /// <summary>Entries in the CRL.</summary>
    [Params(1_000, 100_000)]
    public int CrlEntries { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Benchmark CA", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        _bcCa = new BcCertificate(_ca.RawData);
        var caKey = PrivateKeyFactory.CreateKey(_caKey.ExportPkcs8PrivateKey());
        _crl = CreateCrl(caKey);
        _verified = CrlReader.Read(_crl, _bcCa, CrlUrl, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).Crl!;

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=leaf.test", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(["http://ocsp.test/"], null));
        _leaf = leafRequest.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [0x12, 0x34, 0x56, 0x78]);
#pragma warning disable CA2000 // The checker owns nothing here; the client goes with the process.
        _checker = new OcspCrlRevocationChecker(new HttpClient(new StubOcspResponder(_bcCa, caKey)), null, null);
#pragma warning restore CA2000
        _loaded = new LoadedCertificate(_leaf, "leaf.pem", CertificateFormat.Pem) { PresentedChain = [_ca] };
        _facts = new CertificateInspector().Inspect(_loaded);
        await _checker.CheckAsync(_loaded, _facts, RevocationCheckMode.Online, CancellationToken.None);
    }

    /// <summary>Parse, verify the signature, and index: once per CRL download.</summary>
    [Benchmark]
    public int ReadCrl() => CrlReader.Read(_crl, _bcCa, CrlUrl, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).Crl!.Count;

    /// <summary>
    /// The baseline: BouncyCastle's CRL parser, as CertGuard read CRLs before (parse, verify, enumerate the entries).
    /// </summary>
    [Benchmark(Baseline = true)]
    public int ReadCrlWithBouncyCastle()
    {
        var crl = new X509CrlParser().ReadCrl(_crl);
        crl.Verify(_bcCa.GetPublicKey());
        return crl.GetRevokedCertificates()?.Count ?? 0;
    }

    /// <summary>One serial looked up in the indexed CRL.</summary>
    [Benchmark]
    public RevocationFacts LookUpSerial() => CrlReader.Lookup(_verified, _serials[_next++ % _serials.Count], CrlUrl, DateTimeOffset.UtcNow);

    /// <summary>A whole check answered from the cache: issuer located and verified, certificate ID hashed, cache hit.</summary>
    [Benchmark]
    public ValueTask<RevocationFacts?> CachedOcspCheck() => _checker.CheckAsync(_loaded, _facts, RevocationCheckMode.Online, CancellationToken.None);

    public void Dispose()
    {
        _checker.Dispose();
        _leaf.Dispose();
        _ca.Dispose();
        _caKey.Dispose();
        GC.SuppressFinalize(this);
    }

    private byte[] CreateCrl(AsymmetricKeyParameter key)
    {
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(_bcCa.SubjectDN);
        generator.SetThisUpdate(DateTime.UtcNow.AddHours(-1));
        generator.SetNextUpdate(DateTime.UtcNow.AddDays(7));
        var random = new Random(42);
        for (var i = 0; i < CrlEntries; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            var serial = new BigInteger(1, bytes);
            _serials.Add(serial);
            generator.AddCrlEntry(serial, DateTime.UtcNow.AddDays(-2), CrlReason.KeyCompromise);
        }

        return generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", key)).GetEncoded();
    }
}
