using System.Globalization;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection.Revocation;

/// <summary>
/// Reads an OCSP response and decides whether to believe it: signed by the issuer or by a responder the issuer
/// authorized, carrying our nonce when it carries one, current, and about the certificate that was asked about.
/// </summary>
internal static class OcspResponseReader
{
    private static readonly string OcspSigning = KeyPurposeID.id_kp_OCSPSigning.Id;

    /// <returns>The verdict; <see cref="OcspVerdict.Trusted"/> is false when the response could not be believed.</returns>
    public static OcspVerdict Read(byte[] body, OcspRequest request, BcCertificate issuer, Uri url, DateTimeOffset now, TimeSpan skew)
    {
        var source = $"ocsp {url}";
        string who = $"OCSP responder {url}";
        BasicOcspResp basic;
        try
        {
            var response = new OcspResp(body);
            if (response.Status != OcspRespStatus.Successful)
            {
                return Untrusted(source, $"{who} refused to answer: {StatusName(response.Status)}");
            }

            if (response.GetResponseObject() is not BasicOcspResp found)
            {
                return Untrusted(source, $"{who} sent a response type other than the basic OCSP response");
            }

            basic = found;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Untrusted(source, $"{who} sent something that is not an OCSP response");
        }

        try
        {
            if (!IsSignedByIssuerOrDelegate(basic, issuer, now))
            {
                return Untrusted(source, $"{who} sent a response not signed by the issuer or by a responder the issuer authorized");
            }

            if (NonceProblem(basic, request.Nonce) is { } nonceProblem)
            {
                return Untrusted(source, $"{who} {nonceProblem}");
            }

            var single = basic.Responses.FirstOrDefault(r => Covers(r.GetCertID(), request.Id, issuer));
            if (single is null)
            {
                return Untrusted(source, $"{who} answered about a different certificate");
            }

            var thisUpdate = Utc(single.ThisUpdate);
            DateTimeOffset? nextUpdate = single.NextUpdate is { } next ? Utc(next) : null;
            if (thisUpdate > now + skew)
            {
                return Untrusted(source, $"{who} sent a response dated in the future ({Format(thisUpdate)})");
            }

            if (nextUpdate is { } due && due + skew < now)
            {
                return Untrusted(source, $"{who} sent an expired response (its next update was due {Format(due)})");
            }

            var facts = new RevocationFacts { Status = RevocationStatus.Good, Source = source, ThisUpdate = thisUpdate, NextUpdate = nextUpdate };
            facts = single.GetCertStatus() switch
            {
                null => facts,
                RevokedStatus revoked => facts with
                {
                    Status = RevocationStatus.Revoked,
                    RevokedAt = Utc(revoked.RevocationTime),
                    RevocationReason = revoked.HasRevocationReason ? RevocationReasons.Name(revoked.RevocationReason) : null,
                },
                _ => facts with { Status = RevocationStatus.Unknown, Problems = [$"{who} does not know the certificate (status unknown)"] },
            };
            return new OcspVerdict(facts, Trusted: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Untrusted(source, $"{who} sent a malformed response ({ex.GetType().Name})");
        }
    }

    private static bool IsSignedByIssuerOrDelegate(BasicOcspResp response, BcCertificate issuer, DateTimeOffset now)
    {
        if (Verifies(() => response.Verify(issuer.GetPublicKey())))
        {
            return true;
        }

        // RFC 6960 4.2.2.2: a delegated responder's certificate is issued directly by the CA and carries id-kp-OCSPSigning.
        foreach (var candidate in response.GetCerts() ?? [])
        {
            if (candidate.IssuerDN.Equivalent(issuer.SubjectDN)
                && Verifies(() => { candidate.Verify(issuer.GetPublicKey()); return true; })
                && (candidate.GetExtendedKeyUsage()?.Any(u => u.Id == OcspSigning) ?? false)
                && candidate.IsValid(now.UtcDateTime)
                && Verifies(() => response.Verify(candidate.GetPublicKey())))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Verifies(Func<bool> verify)
    {
        try
        {
            return verify();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static string? NonceProblem(BasicOcspResp response, byte[] nonce)
    {
        var extension = response.ResponseExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
        if (extension is null)
        {
            // Many responders (and every CDN cache in front of one) omit the nonce; RFC 6960 lets them.
            return null;
        }

        var value = extension.Value.GetOctets();
        var expected = new DerOctetString(nonce).GetEncoded();
        return value.AsSpan().SequenceEqual(expected) || value.AsSpan().SequenceEqual(nonce)
            ? null
            : "sent a response with a different nonce than the request's (a replayed or misrouted answer)";
    }

    private static bool Covers(CertificateID answered, CertificateID asked, BcCertificate issuer) =>
        answered.SerialNumber.Equals(asked.SerialNumber) && (answered.Equals(asked) || answered.MatchesIssuer(issuer));

    private static OcspVerdict Untrusted(string source, string problem) =>
        new(new RevocationFacts { Status = RevocationStatus.Unknown, Source = source, Problems = [problem] }, Trusted: false);

    private static string StatusName(int status) => status switch
    {
        OcspRespStatus.MalformedRequest => "malformedRequest",
        OcspRespStatus.InternalError => "internalError",
        OcspRespStatus.TryLater => "tryLater",
        OcspRespStatus.SigRequired => "sigRequired",
        OcspRespStatus.Unauthorized => "unauthorized",
        _ => $"status {status}",
    };

    private static DateTimeOffset Utc(DateTime moment) => new(DateTime.SpecifyKind(moment, DateTimeKind.Utc));

    private static string Format(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
