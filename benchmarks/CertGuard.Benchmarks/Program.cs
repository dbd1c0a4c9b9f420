using BenchmarkDotNet.Running;
using CertGuard.Benchmarks.Sweep;

// The endpoint sweep runs for seconds per measurement against a server in another process, so it is a plain
// console mode timed with a stopwatch (see docs/benchmarks.md, "Endpoint sweep"); everything else is BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "sweep-server":
        return await SweepServer.RunAsync(args[1..]);
    case "sweep":
        return await EndpointSweep.RunAsync(args[1..]);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
}

/// <summary>The entry point.</summary>
public partial class Program;
