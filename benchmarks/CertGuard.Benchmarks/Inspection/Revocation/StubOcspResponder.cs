using System.Net;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Benchmarks.Inspection.Revocation;

/// <summary>An in-process OCSP responder answering "good" for every GET request, signed by the CA.</summary>
internal sealed class StubOcspResponder(BcCertificate ca, AsymmetricKeyParameter key) : HttpMessageHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var encoded = Convert.FromBase64String(Uri.UnescapeDataString(request.RequestUri!.OriginalString.Split('/')[^1]));
        var id = new OcspReq(encoded).GetRequestList()[0].GetCertID();
        var generator = new BasicOcspRespGenerator(new RespID(ca.SubjectDN));
        generator.AddResponse(id, CertificateStatus.Good, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddDays(1), null);
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", key), null, DateTime.UtcNow);
        var body = new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });
    }
}
