using System.Globalization;

namespace CertGuard.Cli.Scanning;

/// <summary>
/// A warning window given on the command line: a number of days (<c>30</c>, <c>30d</c>) or a fraction of the
/// certificate's lifetime (<c>33%</c>).
/// </summary>
/// <param name="Days">The window in days, or null when a fraction was given.</param>
/// <param name="LifetimeFraction">The window as a fraction of the lifetime (0 to 1), or null when days were given.</param>
internal readonly record struct ExpiryThreshold(TimeSpan? Days, double? LifetimeFraction)
{
    /// <summary>Reads a threshold.</summary>
    /// <param name="text">The text: <c>30</c>, <c>30d</c> or <c>33%</c>.</param>
    /// <param name="threshold">The threshold read.</param>
    /// <returns>Whether the text is a threshold.</returns>
    public static bool TryParse(string text, out ExpiryThreshold threshold)
    {
        threshold = default;
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%'))
        {
            if (double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100)
            {
                threshold = new ExpiryThreshold(null, percent / 100);
                return true;
            }

            return false;
        }

        if (trimmed.EndsWith('d') || trimmed.EndsWith('D'))
        {
            trimmed = trimmed[..^1];
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 36_500)
        {
            threshold = new ExpiryThreshold(TimeSpan.FromDays(days), null);
            return true;
        }

        return false;
    }
}
