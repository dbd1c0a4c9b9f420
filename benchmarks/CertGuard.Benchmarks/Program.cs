using BenchmarkDotNet.Running;
using CertGuard.Benchmarks.HealthPollContrast;
using CertGuard.Benchmarks.Sweep;

// The load scripts' hosts run for seconds per measurement against servers in other processes, so they are plain
// console modes (see docs/benchmarks.md, "Endpoint sweep" and "Health poll"); everything else is BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "serve-contrast":
        await HealthPollContrastHost.RunAsync(args[1..]);
        return 0;
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
