using System.Text;

namespace CertGuard.Loading;

/// <summary>
/// Splits PEM text into blocks. Written by hand rather than with <see cref="System.Security.Cryptography.PemEncoding"/>
/// because a damaged block must be reported, not skipped, and legacy OpenSSL headers must be seen.
/// </summary>
internal static class PemReader
{
    private const string BeginMarker = "-----BEGIN ";
    private const string EndMarker = "-----END ";
    private const string Dashes = "-----";

    public static bool LooksLikePem(ReadOnlySpan<byte> data) =>
        data.IndexOf("-----BEGIN "u8) >= 0;

    public static List<PemBlock> Read(ReadOnlySpan<byte> data)
    {
        var text = Encoding.UTF8.GetString(data);
        var blocks = new List<PemBlock>();
        var position = 0;
        while (true)
        {
            var begin = text.IndexOf(BeginMarker, position, StringComparison.Ordinal);
            if (begin < 0)
            {
                return blocks;
            }

            var labelStart = begin + BeginMarker.Length;
            var labelEnd = text.IndexOf(Dashes, labelStart, StringComparison.Ordinal);
            var lineEnd = text.IndexOf('\n', labelStart);
            if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd))
            {
                blocks.Add(new PemBlock("?", null, false, "a BEGIN line is not closed with dashes"));
                position = labelStart;
                continue;
            }

            var label = text[labelStart..labelEnd].Trim();
            var bodyStart = labelEnd + Dashes.Length;
            var endLine = EndMarker + label + Dashes;
            var end = text.IndexOf(endLine, bodyStart, StringComparison.Ordinal);
            var nextBegin = text.IndexOf(BeginMarker, bodyStart, StringComparison.Ordinal);
            if (end < 0 || (nextBegin >= 0 && nextBegin < end))
            {
                blocks.Add(new PemBlock(label, null, false, $"the {label} block has no END line (the file may be truncated)"));
                position = bodyStart;
                continue;
            }

            blocks.Add(Decode(label, text.AsSpan(bodyStart, end - bodyStart)));
            position = end + endLine.Length;
        }
    }

    private static PemBlock Decode(string label, ReadOnlySpan<char> body)
    {
        var base64 = new StringBuilder(body.Length);
        var legacyEncrypted = false;
        foreach (var rawLine in body.EnumerateLines())
        {
            var line = rawLine.Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            // RFC 1421 headers (Proc-Type, DEK-Info) precede the base64 in legacy OpenSSL keys.
            if (line.IndexOf(':') >= 0)
            {
                legacyEncrypted |= line.StartsWith("Proc-Type:", StringComparison.OrdinalIgnoreCase)
                    && line.Contains("ENCRYPTED", StringComparison.OrdinalIgnoreCase);
                continue;
            }

            base64.Append(line);
        }

        if (base64.Length == 0)
        {
            return new PemBlock(label, null, legacyEncrypted, $"the {label} block is empty");
        }

        var bytes = new byte[base64.Length / 4 * 3 + 3];
        return Convert.TryFromBase64String(base64.ToString(), bytes, out var written)
            ? new PemBlock(label, bytes[..written], legacyEncrypted, null)
            : new PemBlock(label, null, legacyEncrypted, $"the {label} block is not valid base64");
    }
}
