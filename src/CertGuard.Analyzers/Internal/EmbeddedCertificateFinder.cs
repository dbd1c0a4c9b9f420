using System;
using System.Collections.Immutable;
using System.Text;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// Finds certificates in string constants: PEM blocks, or a whole string of base64 DER. Runs on every long
/// string literal, so it rejects ordinary text with ordinal searches before allocating anything.
/// </summary>
internal static class EmbeddedCertificateFinder
{
    // The shortest real certificates (a bare EC key, one-letter names) are about 300 bytes, 400 base64 characters.
    private const int MinimumBase64Length = 200;
    private const string PemEnd = "-----END ";

    public static ImmutableArray<DerCertificate> Find(string text)
    {
        if (text.Length < MinimumBase64Length)
        {
            return ImmutableArray<DerCertificate>.Empty;
        }

        if (text.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0)
        {
            return FindPemBlocks(text);
        }

        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        // DER certificates start with SEQUENCE and a one- or two-byte length (30 81, 30 82): "MIG", "MIH" or "MII" in base64.
        if (text.Length - start < 3
            || text[start] != 'M' || text[start + 1] != 'I' || text[start + 2] is not ('G' or 'H' or 'I')
            || TryDecodeBase64(text, start, text.Length) is not { } der
            || DerCertificate.TryParse(der) is not { } certificate)
        {
            return ImmutableArray<DerCertificate>.Empty;
        }

        return ImmutableArray.Create(certificate);
    }

    private static ImmutableArray<DerCertificate> FindPemBlocks(string text)
    {
        var builder = ImmutableArray.CreateBuilder<DerCertificate>();
        var position = 0;
        while (true)
        {
            var begin = text.IndexOf("-----BEGIN ", position, StringComparison.Ordinal);
            if (begin < 0)
            {
                break;
            }

            var labelEnd = text.IndexOf("-----", begin + 11, StringComparison.Ordinal);
            if (labelEnd < 0)
            {
                break;
            }

            var label = text.Substring(begin + 11, labelEnd - begin - 11);
            var end = text.IndexOf(PemEnd + label + "-----", labelEnd + 5, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            if (label is "CERTIFICATE" or "TRUSTED CERTIFICATE" or "X509 CERTIFICATE"
                && TryDecodeBase64(text, labelEnd + 5, end) is { } der
                && DerCertificate.TryParse(der) is { } certificate)
            {
                builder.Add(certificate);
            }

            position = end + PemEnd.Length;
        }

        return builder.ToImmutable();
    }

    private static byte[]? TryDecodeBase64(string text, int start, int end)
    {
        var compact = new StringBuilder(end - start);
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            // PEM inside JSON or an escaped string: the line breaks are the two characters \ and n.
            if (c == '\\' && i + 1 < end && text[i + 1] is 'n' or 'r')
            {
                i++;
                continue;
            }

            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '='))
            {
                return null;
            }

            compact.Append(c);
        }

        if (compact.Length < 4 || compact.Length % 4 != 0)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(compact.ToString());
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
