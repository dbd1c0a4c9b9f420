using System.Formats.Asn1;

namespace CertGuard.Loading;

/// <summary>Tells certificate formats apart by their content, never by a file's extension.</summary>
internal static class ContentSniffer
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";

    public static ContentKind Detect(ReadOnlySpan<byte> data)
    {
        var trimmed = TrimText(data);
        if (trimmed.IsEmpty)
        {
            return ContentKind.Empty;
        }

        if (data.Length >= 4 && data[0] == 0xFE && data[1] == 0xED && data[2] == 0xFE && data[3] == 0xED)
        {
            return ContentKind.JavaKeyStore;
        }

        if (data.Length >= 4 && data[0] == 0xCE && data[1] == 0xCE && data[2] == 0xCE && data[3] == 0xCE)
        {
            return ContentKind.JavaCryptographyExtensionKeyStore;
        }

        if (data[0] == 0x30)
        {
            return DetectAsn1(data);
        }

        if (PemReader.LooksLikePem(trimmed))
        {
            return ContentKind.Pem;
        }

        return IsBase64Text(trimmed) ? ContentKind.Base64 : ContentKind.Unrecognized;
    }

    /// <summary>Strips a UTF-8 byte order mark and surrounding white space.</summary>
    public static ReadOnlySpan<byte> TrimText(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("\uFEFF"u8))
        {
            data = data[3..];
        }

        var start = 0;
        while (start < data.Length && IsWhiteSpace(data[start]))
        {
            start++;
        }

        var end = data.Length;
        while (end > start && IsWhiteSpace(data[end - 1]))
        {
            end--;
        }

        return data[start..end];
    }

    private static ContentKind DetectAsn1(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new AsnReader(data.ToArray(), AsnEncodingRules.BER);
            var outer = reader.ReadSequence();
            if (!outer.HasData)
            {
                return ContentKind.Unrecognized;
            }

            var tag = outer.PeekTag();
            if (tag.HasSameClassAndValue(Asn1Tag.Integer))
            {
                return outer.TryReadInt32(out var version) && version == 3 ? ContentKind.Pkcs12 : ContentKind.Unrecognized;
            }

            if (tag.HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                return outer.ReadObjectIdentifier() == SignedDataOid ? ContentKind.Pkcs7 : ContentKind.Unrecognized;
            }

            return tag.HasSameClassAndValue(Asn1Tag.Sequence) ? ContentKind.DerCertificate : ContentKind.Unrecognized;
        }
        catch (AsnContentException)
        {
            // Starts like a DER SEQUENCE but its lengths run past the end: most likely a truncated file.
            return ContentKind.TruncatedAsn1;
        }
    }

    private static bool IsBase64Text(ReadOnlySpan<byte> text)
    {
        if (text.Length < 64)
        {
            return false;
        }

        foreach (var b in text)
        {
            var ok = b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'+' or (byte)'/' or (byte)'=' || IsWhiteSpace(b);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWhiteSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
