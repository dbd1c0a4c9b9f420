using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CertGuard.Cli.Reporting;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> whose output is passed on to a <see cref="TextWriter"/> in small pieces, so a report
/// of tens of thousands of certificates is never held whole in memory.
/// </summary>
internal sealed class JsonTextSink : IDisposable
{
    private const int DrainThreshold = 32 * 1024;
    private readonly MemoryStream _buffer = new();
    private readonly TextWriter _output;

    public JsonTextSink(TextWriter output)
    {
        _output = output;
        Json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public Utf8JsonWriter Json { get; }

    /// <summary>Passes on what has been written once enough has gathered; call between values.</summary>
    public void DrainIfLarge()
    {
        if (Json.BytesPending + _buffer.Length >= DrainThreshold)
        {
            Drain();
        }
    }

    /// <summary>Passes on everything written, ending with a new line.</summary>
    public void Complete()
    {
        Drain();
        _output.WriteLine();
    }

    public void Dispose()
    {
        Json.Dispose();
        _buffer.Dispose();
    }

    private void Drain()
    {
        // Utf8JsonWriter flushes whole tokens, so a piece never ends inside a UTF-8 sequence.
        Json.Flush();
        _output.Write(Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length));
        _buffer.SetLength(0);
    }
}
