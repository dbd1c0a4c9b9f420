using System.Globalization;

namespace CertGuard.Benchmarks.HealthPollContrast;

/// <summary>A watched TLS endpoint, written <c>host:port</c>.</summary>
internal sealed record TlsEndpoint(string Host, int Port)
{
    public static TlsEndpoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"'{text}' is not host:port.", nameof(text));
        }

        return new TlsEndpoint(text[..colon], port);
    }

    public override string ToString() => $"{Host}:{Port}";
}
