using System.Globalization;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection.Revocation;

/// <summary>Parses a downloaded CRL, checks that the certificate's issuer signed it, and looks serial numbers up in it.</summary>
internal static class CrlReader
{
    /// <returns>The verified CRL, or why it cannot be used.</returns>
    public static (VerifiedCrl? Crl, string? Problem) Read(byte[] body, BcCertificate issuer, Uri url, DateTimeOffset now, TimeSpan skew)
    {
        X509Crl? crl;
        try
        {
            crl = new X509CrlParser().ReadCrl(body);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            crl = null;
        }

        if (crl is null)
        {
            return (null, $"CRL {url} is not a valid CRL");
        }

        try
        {
            if (!crl.IssuerDN.Equivalent(issuer.SubjectDN))
            {
                return (null, $"CRL {url} was issued by '{crl.IssuerDN}', not by the certificate's issuer");
            }

            if (!crl.IsSignatureValid(issuer.GetPublicKey()))
            {
                return (null, $"CRL {url} is not signed by the certificate's issuer");
            }

            if (crl.GetExtensionValue(X509Extensions.DeltaCrlIndicator) is not null)
            {
                return (null, $"CRL {url} is a delta CRL, which cannot be used without its base CRL");
            }

            if (Utc(crl.ThisUpdate) > now + skew)
            {
                return (null, $"CRL {url} is dated in the future ({Format(Utc(crl.ThisUpdate))})");
            }

            return (VerifiedCrl.From(crl), null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (null, $"CRL {url} could not be verified ({ex.GetType().Name})");
        }
    }

    /// <summary>Whether the CRL lists the serial number. A CRL past its next update still answers, marked stale.</summary>
    public static RevocationFacts Lookup(VerifiedCrl crl, BigInteger serialNumber, Uri url, DateTimeOffset now)
    {
        var facts = new RevocationFacts
        {
            Status = RevocationStatus.Good,
            Source = $"crl {url}",
            ThisUpdate = crl.ThisUpdate,
            NextUpdate = crl.NextUpdate,
            IsStale = crl.NextUpdate < now,
        };

        return crl.TryFind(serialNumber, out var revokedAt, out var reason)
            ? facts with
            {
                Status = RevocationStatus.Revoked,
                RevokedAt = revokedAt,
                RevocationReason = reason is { } code ? RevocationReasons.Name(code) : null,
            }
            : facts;
    }

    private static DateTimeOffset Utc(DateTime moment) => new(DateTime.SpecifyKind(moment, DateTimeKind.Utc));

    private static string Format(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
