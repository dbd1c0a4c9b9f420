using System.Text.Json;

namespace CertGuard.Benchmarks.Sweep;

/// <summary>
/// What the sweep server writes for its clients (<c>sweep.json</c> in its directory): where it listens and which name
/// each endpoint serves. The root certificate is beside it as <c>root.pem</c>.
/// </summary>
internal sealed record SweepSetup
{
    public const string FileName = "sweep.json";
    public const string RootFileName = "root.pem";

    /// <summary>The plain-HTTP control port (<c>/stats</c>, <c>/reset</c>).</summary>
    public required int ControlPort { get; init; }

    /// <summary>The TLS port that chooses its certificate by SNI name.</summary>
    public required int SniPort { get; init; }

    /// <summary>The SNI names, one certificate each (subject <c>CN=name</c>).</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>TLS ports that each serve one name's certificate whatever the client sends (for clients that send no SNI).</summary>
    public required IReadOnlyList<SweepPort> Ports { get; init; }

    public static string NameOf(int index) => $"e{index:D4}.sweep.test";

    public static SweepSetup Read(string directory) =>
        JsonSerializer.Deserialize<SweepSetup>(File.ReadAllText(Path.Combine(directory, FileName)))
        ?? throw new InvalidOperationException($"{FileName} is empty.");

    public void Write(string directory)
    {
        // Written whole then renamed, so a client polling for the file never reads half of it.
        var temporary = Path.Combine(directory, FileName + ".tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(this));
        File.Move(temporary, Path.Combine(directory, FileName), overwrite: true);
    }
}

/// <summary>A TLS port that serves one name's certificate.</summary>
internal sealed record SweepPort(int Port, string Name);
