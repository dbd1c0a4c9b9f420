using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace CertGuard.Inspection;

/// <summary>
/// The extension facts of a certificate, read with BouncyCastle. Each extension is read on its own, so one
/// malformed extension leaves the others readable; an unreadable extension reads as absent.
/// </summary>
internal sealed record ExtensionFacts
{
    private static readonly Dictionary<string, string> UsageNames = new()
    {
        ["1.3.6.1.5.5.7.3.1"] = "serverAuth",
        ["1.3.6.1.5.5.7.3.2"] = "clientAuth",
        ["1.3.6.1.5.5.7.3.3"] = "codeSigning",
        ["1.3.6.1.5.5.7.3.4"] = "emailProtection",
        ["1.3.6.1.5.5.7.3.8"] = "timeStamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSPSigning",
        ["2.5.29.37.0"] = "anyExtendedKeyUsage",
    };

    public IReadOnlyList<SubjectAlternativeName> SubjectAlternativeNames { get; init; } = [];
    public bool IsCertificateAuthority { get; init; }
    public int? PathLengthConstraint { get; init; }
    public X509KeyUsageFlags? KeyUsage { get; init; }
    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [];
    public IReadOnlyList<string> OcspUrls { get; init; } = [];
    public IReadOnlyList<string> CaIssuerUrls { get; init; } = [];
    public IReadOnlyList<string> CrlDistributionPoints { get; init; } = [];
    public byte[]? SubjectKeyIdentifier { get; init; }
    public byte[]? AuthorityKeyIdentifier { get; init; }

    public static ExtensionFacts Read(BcCertificate certificate)
    {
        var (ocsp, caIssuers) = Attempt(() => ReadAuthorityInformationAccess(certificate), ([], []));
        var basicConstraints = Attempt(certificate.GetBasicConstraints, -1);
        return new ExtensionFacts
        {
            SubjectAlternativeNames = Attempt(() => ReadSubjectAlternativeNames(certificate), []),
            IsCertificateAuthority = basicConstraints >= 0,
            PathLengthConstraint = basicConstraints is >= 0 and < int.MaxValue ? basicConstraints : null,
            KeyUsage = Attempt(() => ToFlags(certificate.GetKeyUsage()), null),
            ExtendedKeyUsages = Attempt(() => ReadExtendedKeyUsages(certificate), []),
            OcspUrls = ocsp,
            CaIssuerUrls = caIssuers,
            CrlDistributionPoints = Attempt(() => ReadCrlDistributionPoints(certificate), []),
            SubjectKeyIdentifier = Attempt(() => Extension(certificate, X509Extensions.SubjectKeyIdentifier) is { } e
                ? Org.BouncyCastle.Asn1.X509.SubjectKeyIdentifier.GetInstance(e).GetKeyIdentifier() : null, null),
            AuthorityKeyIdentifier = Attempt(() => Extension(certificate, X509Extensions.AuthorityKeyIdentifier) is { } e
                ? Org.BouncyCastle.Asn1.X509.AuthorityKeyIdentifier.GetInstance(e).KeyIdentifier?.GetOctets() : null, null),
        };
    }

    private static T Attempt<T>(Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return fallback;
        }
    }

    private static Asn1Object? Extension(BcCertificate certificate, DerObjectIdentifier oid) =>
        certificate.GetExtensionValue(oid) is { } value ? X509ExtensionUtilities.FromExtensionValue(value) : null;

    private static List<SubjectAlternativeName> ReadSubjectAlternativeNames(BcCertificate certificate)
    {
        var names = new List<SubjectAlternativeName>();
        if (Extension(certificate, X509Extensions.SubjectAlternativeName) is not { } value)
        {
            return names;
        }

        foreach (var name in GeneralNames.GetInstance(value).GetNames())
        {
            names.Add(name.TagNo switch
            {
                GeneralName.DnsName => new(SubjectAlternativeNameKind.Dns, Text(name)),
                GeneralName.Rfc822Name => new(SubjectAlternativeNameKind.Email, Text(name)),
                GeneralName.UniformResourceIdentifier => new(SubjectAlternativeNameKind.Uri, Text(name)),
                GeneralName.IPAddress => new(SubjectAlternativeNameKind.IPAddress, IPAddressText(name)),
                _ => new(SubjectAlternativeNameKind.Other, name.Name.ToString() ?? string.Empty),
            });
        }

        return names;
    }

    private static string Text(GeneralName name) => name.Name is IAsn1String text ? text.GetString() : name.Name.ToString() ?? string.Empty;

    private static string IPAddressText(GeneralName name)
    {
        var bytes = Asn1OctetString.GetInstance(name.Name).GetOctets();
        return bytes.Length is 4 or 16 ? new System.Net.IPAddress(bytes).ToString() : Convert.ToHexString(bytes);
    }

    private static List<string> ReadExtendedKeyUsages(BcCertificate certificate) =>
        certificate.GetExtendedKeyUsage()?.Select(oid => UsageNames.TryGetValue(oid.Id, out var name) ? name : oid.Id).ToList() ?? [];

    private static (IReadOnlyList<string> Ocsp, IReadOnlyList<string> CaIssuers) ReadAuthorityInformationAccess(BcCertificate certificate)
    {
        if (Extension(certificate, X509Extensions.AuthorityInfoAccess) is not { } value)
        {
            return ([], []);
        }

        var ocsp = new List<string>();
        var caIssuers = new List<string>();
        foreach (var description in AuthorityInformationAccess.GetInstance(value).GetAccessDescriptions())
        {
            if (description.AccessLocation.TagNo != GeneralName.UniformResourceIdentifier)
            {
                continue;
            }

            var url = Text(description.AccessLocation);
            if (description.AccessMethod.Equals(AccessDescription.IdADOcsp))
            {
                ocsp.Add(url);
            }
            else if (description.AccessMethod.Equals(AccessDescription.IdADCAIssuers))
            {
                caIssuers.Add(url);
            }
        }

        return (ocsp, caIssuers);
    }

    private static List<string> ReadCrlDistributionPoints(BcCertificate certificate)
    {
        var urls = new List<string>();
        if (Extension(certificate, X509Extensions.CrlDistributionPoints) is not { } value)
        {
            return urls;
        }

        foreach (var point in CrlDistPoint.GetInstance(value).GetDistributionPoints())
        {
            if (point.DistributionPointName?.Type != DistributionPointName.FullName)
            {
                continue;
            }

            urls.AddRange(GeneralNames.GetInstance(point.DistributionPointName.Name).GetNames()
                .Where(n => n.TagNo == GeneralName.UniformResourceIdentifier)
                .Select(Text));
        }

        return urls;
    }

    private static X509KeyUsageFlags? ToFlags(bool[]? bits)
    {
        if (bits is null)
        {
            return null;
        }

        // RFC 5280 bit order: digitalSignature is bit 0, decipherOnly bit 8.
        X509KeyUsageFlags[] flags =
        [
            X509KeyUsageFlags.DigitalSignature, X509KeyUsageFlags.NonRepudiation, X509KeyUsageFlags.KeyEncipherment,
            X509KeyUsageFlags.DataEncipherment, X509KeyUsageFlags.KeyAgreement, X509KeyUsageFlags.KeyCertSign,
            X509KeyUsageFlags.CrlSign, X509KeyUsageFlags.EncipherOnly, X509KeyUsageFlags.DecipherOnly,
        ];
        var result = X509KeyUsageFlags.None;
        for (var i = 0; i < Math.Min(bits.Length, flags.Length); i++)
        {
            if (bits[i])
            {
                result |= flags[i];
            }
        }

        return result;
    }
}
