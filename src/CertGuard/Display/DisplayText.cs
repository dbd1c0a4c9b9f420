using System.Globalization;
using System.Text;

namespace CertGuard.Display;

/// <summary>
/// Makes text from certificates, files and peers safe to show to a person: C0 and C1 control characters (an escape
/// sequence can retitle or clear a terminal) and bidirectional overrides (which reorder what a reader sees) are
/// replaced by a visible escape such as <c>\x1b</c> or <c>\u202e</c>, never removed, so the reader still sees that
/// they were there. Everything else, including non-ASCII letters, is kept as it is.
/// </summary>
internal static class DisplayText
{
    /// <summary>The text with every control character and bidirectional override shown as an escape.</summary>
    /// <param name="text">Untrusted text; null reads as empty.</param>
    /// <returns>The same instance when nothing needed escaping.</returns>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c <= '\u00ff' && IsControl(c))
            {
                escaped.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (IsBidiControl(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>Whether the text holds anything <see cref="Escape"/> would change.</summary>
    /// <param name="text">The text.</param>
    /// <returns>True when a control character or bidirectional override is present.</returns>
    public static bool NeedsEscaping(string? text) => !string.IsNullOrEmpty(text) && IndexOfUnsafe(text) >= 0;

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c <= '\u00ff' && IsControl(c)) || IsBidiControl(c))
            {
                return i;
            }
        }

        return -1;
    }

    // C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F): 0x9B alone is a CSI on terminals that honour 8-bit controls.
    private static bool IsControl(char c) => c < '\u0020' || c is >= '\u007f' and <= '\u009f';

    // Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI).
    private static bool IsBidiControl(char c) => c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
