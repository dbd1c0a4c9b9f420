using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Tests.Inspection.Revocation;

/// <summary>Who signs the OCSP responses the test server sends.</summary>
internal enum OcspSigner
{
    Issuer,
    DelegatedResponder,
    ResponderWithoutOcspSigning,
    UnrelatedKey,
}

/// <summary>What the test server does with the request's nonce.</summary>
internal enum NonceHandling
{
    Echo,
    Omit,
    Wrong,
}

/// <summary>
/// A real OCSP responder and CRL server on a loopback port (plain HTTP, as in the real world), signing with
/// BouncyCastle for a CA minted after the server started, so the certificates can name the server's port.
/// Each behaviour a real responder can show (lying, hanging, failing, going stale) is a switch.
/// </summary>
internal sealed class RevocationTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _ocspGets;
    private int _ocspPosts;
    private int _crlRequests;
    private int _caIssuersRequests;

    private RevocationTestServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Pki = TestPki.Create();
    }

    public Uri BaseAddress { get; }

    public string OcspUrl => new Uri(BaseAddress, "ocsp").ToString();

    public string CrlUrl => new Uri(BaseAddress, "ca.crl").ToString();

    /// <summary>Where the CA's certificate is served (DER), for AIA CA Issuers.</summary>
    public string CaIssuersUrl => new Uri(BaseAddress, "ca.cer").ToString();

    public int CaIssuersRequests => Volatile.Read(ref _caIssuersRequests);

    public TestPki Pki { get; }

    /// <summary>Revoked serial numbers (upper-case hex), with when and why.</summary>
    public ConcurrentDictionary<string, (DateTimeOffset At, int Reason)> Revoked { get; } = new();

    /// <summary>Serial numbers the responder says it does not know.</summary>
    public ConcurrentDictionary<string, bool> UnknownToResponder { get; } = new();

    public OcspSigner Signer { get; set; } = OcspSigner.Issuer;

    public NonceHandling Nonce { get; set; } = NonceHandling.Echo;

    public TimeSpan OcspThisUpdate { get; set; } = TimeSpan.FromHours(-1);

    public TimeSpan? OcspNextUpdate { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan CrlNextUpdate { get; set; } = TimeSpan.FromDays(1);

    public bool CrlSignedByUnrelatedKey { get; set; }

    /// <summary>Replaces the OCSP responder (a hang, an HTTP error, garbage).</summary>
    public RequestDelegate? OcspOverride { get; set; }

    /// <summary>Replaces the CRL server.</summary>
    public RequestDelegate? CrlOverride { get; set; }

    /// <summary>Served at the CA Issuers URL instead of the CA's certificate, when set.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? CaIssuersOverride { get; set; }

    /// <summary>Held before the CRL is served, when set.</summary>
    public TaskCompletionSource? CrlGate { get; set; }

    /// <summary>Completed when the first CRL request arrives.</summary>
    public TaskCompletionSource CrlRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int OcspGets => Volatile.Read(ref _ocspGets);

    public int OcspPosts => Volatile.Read(ref _ocspPosts);

    public int OcspRequests => OcspGets + OcspPosts;

    public int CrlRequests => Volatile.Read(ref _crlRequests);

    public static async Task<RevocationTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        RevocationTestServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server = new RevocationTestServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>A leaf certificate from this server's CA naming this server's OCSP responder and/or CRL.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 IssueLeaf(string name = "service.test", bool ocsp = true, bool crl = true) =>
        Pki.IssueLeaf(name, ocsp ? [OcspUrl] : null, crl ? [CrlUrl] : null);

    public void Revoke(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, DateTimeOffset at, int reason) =>
        Revoked[certificate.SerialNumber] = (at, reason);

    public async ValueTask DisposeAsync()
    {
        CrlGate?.TrySetResult();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // A hanging handler is abandoned; the test is over.
        }

        await _app.DisposeAsync();
        Pki.Dispose();
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.StartsWith("/ocsp", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref HttpMethods.IsGet(context.Request.Method) ? ref _ocspGets : ref _ocspPosts);
            return OcspOverride?.Invoke(context) ?? AnswerOcspAsync(context);
        }

        if (path.StartsWith("/ca.crl", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _crlRequests);
            CrlRequested.TrySetResult();
            return CrlOverride?.Invoke(context) ?? ServeCrlAsync(context);
        }

        if (path.StartsWith("/ca.cer", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _caIssuersRequests);
            context.Response.ContentType = "application/pkix-cert";
            return context.Response.Body.WriteAsync((CaIssuersOverride ?? Pki.Certificate).RawData).AsTask();
        }

        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    private async Task AnswerOcspAsync(HttpContext context)
    {
        byte[] encoded;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            // RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER request}; read the raw target so %2F survives.
            var raw = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
            encoded = Convert.FromBase64String(Uri.UnescapeDataString(raw[(raw.IndexOf("/ocsp/", StringComparison.Ordinal) + 6)..]));
        }
        else
        {
            if (context.Request.ContentType != "application/ocsp-request")
            {
                context.Response.StatusCode = 415;
                return;
            }

            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            encoded = body.ToArray();
        }

        var request = new OcspReq(encoded);
        var id = request.GetRequestList()[0].GetCertID();
        var serial = Convert.ToHexString(id.SerialNumber.ToByteArrayUnsigned());
        CertificateStatus status = Revoked.TryGetValue(serial, out var revoked)
            ? new RevokedStatus(revoked.At.UtcDateTime, revoked.Reason)
            : UnknownToResponder.ContainsKey(serial) ? new UnknownStatus() : CertificateStatus.Good;

        var (signerCertificate, signerKey) = SignerFor(Signer);
        var generator = new BasicOcspRespGenerator(new RespID(signerCertificate.SubjectDN));
        var now = DateTime.UtcNow;
        generator.AddResponse(id, status, now + OcspThisUpdate, OcspNextUpdate is { } next ? now + next : null, null);
        var nonce = request.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
        if (Nonce != NonceHandling.Omit && nonce is not null)
        {
            var sent = Nonce == NonceHandling.Echo ? nonce : new X509Extension(false, new DerOctetString(new DerOctetString(RandomNumberGenerator.GetBytes(16))));
            generator.SetResponseExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension> { [OcspObjectIdentifiers.PkixOcspNonce] = sent }));
        }

        BcCertificate[] chain = Signer == OcspSigner.Issuer ? [] : [signerCertificate];
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", signerKey), chain, now);
        var response = new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
        context.Response.ContentType = "application/ocsp-response";
        await context.Response.Body.WriteAsync(response);
    }

    private (BcCertificate Certificate, AsymmetricKeyParameter Key) SignerFor(OcspSigner signer) => signer switch
    {
        OcspSigner.Issuer => (Pki.BcCertificate, Pki.BcPrivateKey),
        OcspSigner.DelegatedResponder => Pki.IssueResponder(withOcspSigning: true),
        OcspSigner.ResponderWithoutOcspSigning => Pki.IssueResponder(withOcspSigning: false),
        _ => UnrelatedSigner(),
    };

    private (BcCertificate Certificate, AsymmetricKeyParameter Key) UnrelatedSigner()
    {
        // Same name as the CA, different key: a forger's attempt.
        using var stranger = TestPki.Create(Pki.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
        return (stranger.BcCertificate, stranger.BcPrivateKey);
    }

    private async Task ServeCrlAsync(HttpContext context)
    {
        if (CrlGate is { } gate)
        {
            await gate.Task;
        }

        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(Pki.BcCertificate.SubjectDN);
        var now = DateTime.UtcNow;
        generator.SetThisUpdate(now.AddHours(-1) < now + CrlNextUpdate ? now.AddHours(-1) : now + CrlNextUpdate - TimeSpan.FromDays(1));
        generator.SetNextUpdate(now + CrlNextUpdate);
        foreach (var (serial, (at, reason)) in Revoked)
        {
            generator.AddCrlEntry(new BigInteger(serial, 16), at.UtcDateTime, reason);
        }

        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.One));
        AsymmetricKeyParameter key;
        if (CrlSignedByUnrelatedKey)
        {
            using var stranger = TestPki.Create(Pki.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
            key = stranger.BcPrivateKey;
        }
        else
        {
            key = Pki.BcPrivateKey;
        }

        var crl = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", key));
        context.Response.ContentType = "application/pkix-crl";
        await context.Response.Body.WriteAsync(crl.GetEncoded());
    }
}
