using System;
using System.Globalization;
using System.Text;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// The validity and subject common name of a DER-encoded X.509 certificate, read with a minimal ASN.1 reader
/// (analyzers run on netstandard2.0 inside the compiler, without System.Security.Cryptography's X.509 support).
/// </summary>
internal sealed class DerCertificate
{
    private const byte Sequence = 0x30;
    private const byte Set = 0x31;
    private const byte Integer = 0x02;
    private const byte BitString = 0x03;
    private const byte ObjectIdentifier = 0x06;
    private const byte UtcTime = 0x17;
    private const byte GeneralizedTime = 0x18;
    private const byte ExplicitVersion = 0xA0;

    private DerCertificate(DateTime notBefore, DateTime notAfter, string? commonName)
    {
        NotBefore = notBefore;
        NotAfter = notAfter;
        CommonName = commonName;
    }

    /// <summary>Start of validity, UTC.</summary>
    public DateTime NotBefore { get; }

    /// <summary>End of validity, UTC.</summary>
    public DateTime NotAfter { get; }

    /// <summary>The subject's CN, when it has one.</summary>
    public string? CommonName { get; }

    /// <summary>
    /// Every certificate found anywhere in a binary structure (a PKCS#7 bundle, an unencrypted PKCS#12 bag): each
    /// offset that starts a SEQUENCE with a two-byte length is tried as a whole certificate.
    /// </summary>
    public static System.Collections.Generic.List<DerCertificate> FindAll(byte[] data)
    {
        var found = new System.Collections.Generic.List<DerCertificate>();
        for (var i = 0; i + 4 < data.Length; i++)
        {
            if (data[i] != Sequence || data[i + 1] != 0x82)
            {
                continue;
            }

            var length = (data[i + 2] << 8) | data[i + 3];
            if (length < 200 || i + 4 + length > data.Length)
            {
                continue;
            }

            var candidate = new byte[length + 4];
            Array.Copy(data, i, candidate, 0, candidate.Length);
            if (TryParse(candidate) is { } certificate)
            {
                found.Add(certificate);
                i += candidate.Length - 1;
            }
        }

        return found;
    }

    /// <summary>
    /// Reads Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }. Anything else
    /// (a private key, a CSR, random base64) fails, so look-alikes are not reported as certificates.
    /// </summary>
    public static DerCertificate? TryParse(byte[] der)
    {
        try
        {
            var offset = 0;
            if (!TryRead(der, ref offset, Sequence, der.Length, out var certStart, out var certLength) || certStart + certLength != der.Length)
            {
                return null;
            }

            var certEnd = certStart + certLength;
            offset = certStart;
            if (!TryRead(der, ref offset, Sequence, certEnd, out var tbsStart, out var tbsLength))
            {
                return null;
            }

            var afterTbs = offset;
            if (!TryRead(der, ref afterTbs, Sequence, certEnd, out _, out _) || !TryRead(der, ref afterTbs, BitString, certEnd, out _, out _))
            {
                return null;
            }

            var tbsEnd = tbsStart + tbsLength;
            offset = tbsStart;
            if (der[offset] == ExplicitVersion && !TryRead(der, ref offset, ExplicitVersion, tbsEnd, out _, out _))
            {
                return null;
            }

            if (!TryRead(der, ref offset, Integer, tbsEnd, out _, out _)
                || !TryRead(der, ref offset, Sequence, tbsEnd, out _, out _)
                || !TryRead(der, ref offset, Sequence, tbsEnd, out _, out _)
                || !TryRead(der, ref offset, Sequence, tbsEnd, out var validityStart, out var validityLength))
            {
                return null;
            }

            var validityEnd = validityStart + validityLength;
            var timeOffset = validityStart;
            if (!TryReadTime(der, ref timeOffset, validityEnd, out var notBefore) || !TryReadTime(der, ref timeOffset, validityEnd, out var notAfter))
            {
                return null;
            }

            string? commonName = null;
            if (TryRead(der, ref offset, Sequence, tbsEnd, out var subjectStart, out var subjectLength))
            {
                commonName = FindCommonName(der, subjectStart, subjectStart + subjectLength);
            }

            return new DerCertificate(notBefore, notAfter, commonName);
        }
        catch (IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static bool TryRead(byte[] der, ref int offset, byte expectedTag, int limit, out int contentStart, out int contentLength)
    {
        contentStart = 0;
        contentLength = 0;
        if (offset + 2 > limit || der[offset] != expectedTag)
        {
            return false;
        }

        var position = offset + 1;
        int length = der[position++];
        if (length >= 0x80)
        {
            var count = length & 0x7F;
            if (count is 0 or > 3 || position + count > limit)
            {
                return false;
            }

            length = 0;
            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | der[position++];
            }
        }

        if (position + length > limit)
        {
            return false;
        }

        contentStart = position;
        contentLength = length;
        offset = position + length;
        return true;
    }

    private static bool TryReadTime(byte[] der, ref int offset, int limit, out DateTime value)
    {
        value = default;
        var tag = der[offset];
        if ((tag != UtcTime && tag != GeneralizedTime) || !TryRead(der, ref offset, tag, limit, out var start, out var length))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(der, start, length);
        string[] formats = tag == UtcTime
            ? new[] { "yyMMddHHmmss'Z'", "yyMMddHHmm'Z'" }
            : new[] { "yyyyMMddHHmmss'Z'", "yyyyMMddHHmmss.FFFFFFF'Z'" };
        if (!DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value))
        {
            return false;
        }

        // RFC 5280 4.1.2.5.1: two-digit years 50-99 are 19xx and 00-49 are 20xx, whatever the culture's calendar says.
        if (tag == UtcTime)
        {
            var year = (text[0] - '0') * 10 + (text[1] - '0');
            var century = year >= 50 ? 1900 : 2000;
            value = value.AddYears(century + year - value.Year);
        }

        return true;
    }

    /// <summary>Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value }; CN is OID 2.5.4.3 (06 03 55 04 03).</summary>
    private static string? FindCommonName(byte[] der, int start, int end)
    {
        var offset = start;
        while (offset < end && TryRead(der, ref offset, Set, end, out var setStart, out var setLength))
        {
            var attributeOffset = setStart;
            var setEnd = setStart + setLength;
            while (attributeOffset < setEnd && TryRead(der, ref attributeOffset, Sequence, setEnd, out var attrStart, out var attrLength))
            {
                var valueOffset = attrStart;
                var attrEnd = attrStart + attrLength;
                if (!TryRead(der, ref valueOffset, ObjectIdentifier, attrEnd, out var oidStart, out var oidLength)
                    || oidLength != 3 || der[oidStart] != 0x55 || der[oidStart + 1] != 0x04 || der[oidStart + 2] != 0x03
                    || valueOffset >= attrEnd)
                {
                    continue;
                }

                var valueTag = der[valueOffset];
                if (TryRead(der, ref valueOffset, valueTag, attrEnd, out var textStart, out var textLength))
                {
                    // BMPString (0x1E) is UTF-16; the printable, IA5 and UTF-8 string types all read as UTF-8.
                    return valueTag == 0x1E
                        ? Encoding.BigEndianUnicode.GetString(der, textStart, textLength)
                        : Encoding.UTF8.GetString(der, textStart, textLength);
                }
            }
        }

        return null;
    }
}
