using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace CertGuard.SecretsTests;

/// <summary>
/// Certificate files minted at run time under one temporary directory, good and bad, with distinctive passwords and
/// fresh private keys, and the <see cref="SecretOracle"/> that knows every one of those secrets. Everything the CLI
/// scans lives under <see cref="FilesDirectory"/>; the certificate the sample serves lives apart, under <c>server</c>.
/// </summary>
public sealed class SecretInputs : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<IDisposable> _owned = [];

    public SecretInputs()
    {
        FilesDirectory = _directory["inputs"];
        Directory.CreateDirectory(FilesDirectory);
        Directory.CreateDirectory(_directory["server"]);

        foreach (var (name, password) in Passwords)
        {
            Oracle.AddPassword(name, password);
        }

        var rsaPfx = Mint("rsa-pfx.secrets.test", Rsa("rsa.pfx"));
        Write("rsa.pfx", rsaPfx.Export(X509ContentType.Pfx, RsaPfxPassword));

        var ecPfx = Mint("ec-pfx.secrets.test", Ec("ec.pfx"));
        Write("ec.pfx", ecPfx.Export(X509ContentType.Pfx, EcPfxPassword));

        Write("protected.pfx", Mint("protected.secrets.test", Ec("protected.pfx")).Export(X509ContentType.Pfx, ProtectedPfxPassword));
        Write("wrong-password.pfx", Mint("wrong-password.secrets.test", Ec("wrong-password.pfx")).Export(X509ContentType.Pfx, WrongPasswordPfxPassword));

        var corrupt = Mint("corrupt.secrets.test", Rsa("corrupt.pfx")).Export(X509ContentType.Pfx, CorruptPfxPassword);
        Write("corrupt.pfx", corrupt[..(corrupt.Length / 2)]);

        var encryptedKey = Rsa("encrypted-key.pem");
        var encryptedKeyPem = encryptedKey.ExportEncryptedPkcs8PrivateKeyPem(PemKeyPassword, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        Write("encrypted-key.pem", Mint("encrypted-key.secrets.test", encryptedKey).ExportCertificatePem() + "\n" + encryptedKeyPem + "\n");

        var plainKey = Ec("plain-key.pem");
        Write("plain-key.pem", Mint("plain-key.secrets.test", plainKey).ExportCertificatePem() + "\n" + plainKey.ExportPkcs8PrivateKeyPem() + "\n");

        var expiredKey = Ec("expired-with-key.pem");
        var expired = Mint("expired.secrets.test", expiredKey, notAfter: DateTimeOffset.UtcNow.AddDays(-10));
        Write("expired-with-key.pem", expired.ExportCertificatePem() + "\n" + expiredKey.ExportPkcs8PrivateKeyPem() + "\n");

        // A certificate whose separate key file holds another key; the key file alone is scanned too (.pem).
        Write("site.crt", Mint("site.secrets.test", Ec("site.crt")).ExportCertificatePem());
        var otherKey = Ec("mismatched-key.pem");
        Write("mismatched-key.pem", otherKey.ExportPkcs8PrivateKeyPem());

        var jksKey = Rsa("keystore.jks");
        Write("keystore.jks", JavaKeyStore(JksPassword, Mint("jks.secrets.test", jksKey), jksKey));
        var wrongJksKey = Rsa("wrong-password.jks");
        Write("wrong-password.jks", JavaKeyStore(WrongPasswordJksPassword, Mint("wrong-jks.secrets.test", wrongJksKey), wrongJksKey));

        // Key material where a certificate is expected: each must be refused without echoing what it read.
        var rsaDer = rsaPfx.GetRSAPrivateKey()!.ExportPkcs8PrivateKey();
        Write("key-only.der", rsaDer);
        Write("key-only.p12", rsaDer);
        Write("key-base64.crt", Encoding.ASCII.GetBytes(Convert.ToBase64String(rsaDer)));
        Write("key-as-certificate.pem", Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", ecPfx.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey())));
        Write("encrypted-key-only.pem", Encoding.ASCII.GetBytes(encryptedKeyPem));
        Write("rsa-traditional-key-only.pem", Encoding.ASCII.GetBytes(encryptedKey.ExportRSAPrivateKeyPem()));

        // The sample serves server.pfx through its reloader; the test later swaps in the bad versions.
        ServerPfxPath = _directory["server/server.pfx"];
        File.WriteAllBytes(ServerPfxPath, Mint("server.secrets.test", Ec("server.pfx")).Export(X509ContentType.Pfx, ServerPassword));
        ServerWithOtherPassword = Mint("server-next.secrets.test", Ec("server-next.pfx")).Export(X509ContentType.Pfx, ServerNextPassword);
        ServerExpired = Mint("server-expired.secrets.test", Ec("server-expired.pfx"), notAfter: DateTimeOffset.UtcNow.AddDays(-1)).Export(X509ContentType.Pfx, ServerPassword);
        var corruptServer = Mint("server-corrupt.secrets.test", Ec("server-corrupt.pfx")).Export(X509ContentType.Pfx, ServerPassword);
        ServerCorrupt = corruptServer[..(corruptServer.Length / 2)];
    }

    internal SecretOracle Oracle { get; } = new();

    public string FilesDirectory { get; }

    public string RsaPfxPassword { get; } = Distinctive("rsa-pfx");

    public string EcPfxPassword { get; } = Distinctive("ec-pfx");

    /// <summary>The password of protected.pfx, given to the sample's Kestrel endpoint only: the monitor and the CLI never get it.</summary>
    public string ProtectedPfxPassword { get; } = Distinctive("protected-pfx");

    /// <summary>The real password of wrong-password.pfx, never given to anything.</summary>
    public string WrongPasswordPfxPassword { get; } = Distinctive("wrong-password-pfx");

    /// <summary>A wrong password, given wherever a wrong one is tried.</summary>
    public string WrongCandidate { get; } = Distinctive("wrong-candidate");

    public string CorruptPfxPassword { get; } = Distinctive("corrupt-pfx");

    public string PemKeyPassword { get; } = Distinctive("pem-key");

    public string JksPassword { get; } = Distinctive("jks-store");

    /// <summary>The real password of wrong-password.jks, never given to anything.</summary>
    public string WrongPasswordJksPassword { get; } = Distinctive("wrong-password-jks");

    public string ServerPassword { get; } = Distinctive("server-pfx");

    /// <summary>The password of the next server certificate, which the reloader is never told.</summary>
    public string ServerNextPassword { get; } = Distinctive("server-next-pfx");

    /// <summary>The passwords a user of the CLI passes in a password file: the right ones for the files that should open, and a wrong one.</summary>
    public IReadOnlyList<string> PasswordFileLines => [RsaPfxPassword, EcPfxPassword, CorruptPfxPassword, PemKeyPassword, JksPassword, WrongCandidate];

    public string ServerPfxPath { get; }

    public byte[] ServerWithOtherPassword { get; }

    public byte[] ServerExpired { get; }

    public byte[] ServerCorrupt { get; }

    public string this[string fileName] => Path.Combine(FilesDirectory, fileName);

    /// <summary>A path for test output (reports, password files) outside the scanned directory.</summary>
    public string Scratch(string fileName) => _directory[fileName];

    private IEnumerable<(string Name, string Password)> Passwords =>
    [
        ("rsa.pfx", RsaPfxPassword), ("ec.pfx", EcPfxPassword), ("protected.pfx", ProtectedPfxPassword),
        ("wrong-password.pfx", WrongPasswordPfxPassword), ("wrong candidate", WrongCandidate), ("corrupt.pfx", CorruptPfxPassword),
        ("encrypted-key.pem", PemKeyPassword), ("keystore.jks", JksPassword), ("wrong-password.jks", WrongPasswordJksPassword),
        ("server.pfx", ServerPassword), ("server-next.pfx", ServerNextPassword),
    ];

    public void Dispose()
    {
        _owned.ForEach(o => o.Dispose());
        _directory.Dispose();
    }

    /// <summary>A long password no output could hold by chance, in characters no JSON, HTML or CSV writer escapes.</summary>
    private static string Distinctive(string purpose) => $"Pw-{purpose}-{Guid.NewGuid():N}";

    private RSA Rsa(string name) => Remember(name, RSA.Create(2048));

    private ECDsa Ec(string name) => Remember(name, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    private T Remember<T>(string name, T key)
        where T : AsymmetricAlgorithm
    {
        _owned.Add(key);
        Oracle.AddPrivateKey(name, key);
        return key;
    }

    private X509Certificate2 Mint(string commonName, AsymmetricAlgorithm key, DateTimeOffset? notAfter = null)
    {
        var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(200);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject.Build(), ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDSA only.", nameof(key)),
        };
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(commonName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var certificate = request.CreateSelfSigned(end.AddDays(-365), end);
        _owned.Add(certificate);
        return certificate;
    }

    private string Write(string fileName, byte[] bytes)
    {
        File.WriteAllBytes(this[fileName], bytes);
        return this[fileName];
    }

    private string Write(string fileName, string text) => Write(fileName, Encoding.ASCII.GetBytes(text));

    private static byte[] JavaKeyStore(string password, X509Certificate2 certificate, RSA key)
    {
        var store = new JksStore();
        var bcCertificate = new X509CertificateParser().ReadCertificate(certificate.RawData);
        store.SetKeyEntry("server", DotNetUtilities.GetRsaKeyPair(key).Private, password.ToCharArray(), [bcCertificate]);
        using var stream = new MemoryStream();
        store.Save(stream, password.ToCharArray());
        return stream.ToArray();
    }
}
