namespace CertGuard.Benchmarks.Sweep;

/// <summary>The few <c>--name value</c> arguments the sweep modes take.</summary>
internal static class SweepArguments
{
    public static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
