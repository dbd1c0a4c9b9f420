using System.Text;

namespace CertGuard.SecretsTests;

/// <summary>One output of CertGuard, named for the failure message, as text and as the bytes that were written.</summary>
internal sealed class CapturedOutput
{
    private CapturedOutput(string name, string text, byte[] bytes)
    {
        Name = name;
        Text = text;
        Bytes = bytes;
    }

    public string Name { get; }

    public string Text { get; }

    public byte[] Bytes { get; }

    public static CapturedOutput OfText(string name, string? text) => new(name, text ?? string.Empty, Encoding.UTF8.GetBytes(text ?? string.Empty));

    /// <summary>Binary output: searched as bytes, and as Latin-1 text so that any ASCII inside is searched too.</summary>
    public static CapturedOutput OfBytes(string name, byte[] bytes) => new(name, Encoding.Latin1.GetString(bytes), bytes);

    public override string ToString() => $"{Name} ({Bytes.Length} bytes)";
}
