using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using CertGuard.Tests.Inspection.Revocation;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using OcspRequest = CertGuard.Inspection.Revocation.OcspRequest;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// Mutated OCSP responses and CRLs through the readers: never an exception, and a mutated answer is believed only
/// when the mutation left the signed part intact, so it can never turn "good" into "revoked" or back.
/// </summary>
public sealed class RevocationFuzzTests
{
    private const int Iterations = 1500;
    private static readonly Uri Url = new("http://responder.test/");

    [Fact]
    public void Mutated_OCSP_responses_never_throw_and_are_believed_only_unchanged()
    {
        using var pki = TestPki.Create();
        using var leaf = pki.IssueLeaf("fuzz.test");
        var subject = new BcCertificate(leaf.RawData);
        var request = OcspRequest.Create(OcspRequest.IdOf(subject, pki.BcCertificate));
        var good = Respond(pki, request, CertificateStatus.Good);
        var revoked = Respond(pki, request, new RevokedStatus(DateTime.UtcNow.AddDays(-1), CrlReason.KeyCompromise));
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(RevocationStatus.Good, OcspResponseReader.Read(good, request, pki.BcCertificate, Url, now, TimeSpan.FromMinutes(5)).Facts.Status);
        var believed = 0;

        for (var seed = 0; seed < Iterations; seed++)
        {
            var mutated = new Mutator(seed).Mutate(good, revoked);
            var verdict = OcspResponseReader.Read(mutated, request, pki.BcCertificate, Url, now, TimeSpan.FromMinutes(5));

            if (verdict.Trusted)
            {
                believed++;
                Assert.True(verdict.Facts.Status == RevocationStatus.Good, $"seed {seed}: a mutated good answer was believed as {verdict.Facts.Status}");
            }
            else
            {
                Assert.Equal(RevocationStatus.Unknown, verdict.Facts.Status);
                Assert.Single(verdict.Facts.Problems);
            }
        }

        Assert.True(believed < Iterations / 2, $"{believed} of {Iterations} mutated responses were believed");
    }

    [Fact]
    public void Mutated_CRLs_never_throw_and_are_used_only_unchanged()
    {
        using var pki = TestPki.Create();
        var listed = new BigInteger(1, TestPki.RandomSerial());
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(pki.BcCertificate.SubjectDN);
        generator.SetThisUpdate(DateTime.UtcNow.AddHours(-1));
        generator.SetNextUpdate(DateTime.UtcNow.AddDays(1));
        generator.AddCrlEntry(listed, DateTime.UtcNow.AddDays(-1), CrlReason.Superseded);
        for (var i = 0; i < 20; i++)
        {
            generator.AddCrlEntry(new BigInteger(1, TestPki.RandomSerial()), DateTime.UtcNow.AddDays(-2), CrlReason.KeyCompromise);
        }

        var crl = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", pki.BcPrivateKey)).GetEncoded();
        var now = DateTimeOffset.UtcNow;

        for (var seed = 0; seed < Iterations; seed++)
        {
            var mutated = new Mutator(seed).Mutate(crl, crl);
            var (verified, problem) = CrlReader.Read(mutated, pki.BcCertificate, Url, now, TimeSpan.FromMinutes(5));

            if (verified is null)
            {
                Assert.False(string.IsNullOrEmpty(problem));
                continue;
            }

            Assert.Equal(21, verified.Count);
            Assert.Equal(RevocationStatus.Revoked, CrlReader.Lookup(verified, listed, Url, now).Status);
        }
    }

    private static byte[] Respond(TestPki pki, OcspRequest request, CertificateStatus status)
    {
        var generator = new BasicOcspRespGenerator(new RespID(pki.BcCertificate.SubjectDN));
        generator.AddResponse(request.Id, status, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddDays(1), null);
        var nonce = new X509Extension(false, new DerOctetString(new DerOctetString(request.Nonce)));
        generator.SetResponseExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension> { [OcspObjectIdentifiers.PkixOcspNonce] = nonce }));
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", pki.BcPrivateKey), [pki.BcCertificate], DateTime.UtcNow);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }
}
