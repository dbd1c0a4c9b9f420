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

    /// <summary>
    /// The blocks in <paramref name="data"/>, in linear time: every search is bounded by the current line or by the
    /// next BEGIN line, and each search's result is kept until the reading position passes it, so no byte is scanned
    /// more than a few times however many unterminated BEGIN lines a hostile file holds.
    /// </summary>
    public static List<PemBlock> Read(ReadOnlySpan<byte> data, CancellationToken cancellationToken = default)
    {
        var text = Encoding.UTF8.GetString(data);
        var blocks = new List<PemBlock>();
        var position = 0;
        var newline = -1;
        var nextBegin = -1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var begin = NextAt(text, BeginMarker, position, ref nextBegin);
            if (begin >= text.Length)
            {
                return blocks;
            }

            var labelStart = begin + BeginMarker.Length;
            var lineEnd = NextAt(text, "\n", labelStart, ref newline);
            var labelLength = text.AsSpan(labelStart, lineEnd - labelStart).IndexOf(Dashes, StringComparison.Ordinal);
            if (labelLength < 0)
            {
                blocks.Add(new PemBlock("?", null, false, "a BEGIN line is not closed with dashes"));
                position = labelStart;
                continue;
            }

            var label = text.Substring(labelStart, labelLength).Trim();
            var bodyStart = labelStart + labelLength + Dashes.Length;
            var endLine = EndMarker + label + Dashes;

            // A block ends before the next BEGIN line: searching past it would make every unterminated block a full scan.
            var following = NextAt(text, BeginMarker, bodyStart, ref nextBegin);
            var end = text.AsSpan(bodyStart, following - bodyStart).IndexOf(endLine, StringComparison.Ordinal);
            if (end < 0)
            {
                blocks.Add(new PemBlock(label, null, false, $"the {label} block has no END line (the file may be truncated)"));
                position = bodyStart;
                continue;
            }

            blocks.Add(Decode(label, text.AsSpan(bodyStart, end)));
            position = bodyStart + end + endLine.Length;
        }
    }

    /// <summary>
    /// The first <paramref name="value"/> at or after <paramref name="from"/>, or the text's length when there is none,
    /// reusing <paramref name="cached"/> when it still lies ahead.
    /// </summary>
    private static int NextAt(string text, string value, int from, ref int cached)
    {
        if (cached >= from)
        {
            return cached;
        }

        var found = text.IndexOf(value, from, StringComparison.Ordinal);
        cached = found < 0 ? text.Length : found;
        return cached;
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
