using BenchmarkDotNet.Running;
using CertGuard.Benchmarks.HealthPollContrast;

// The health-poll load test's host (load/health-handshake-contrast.sh); everything else is BenchmarkDotNet.
if (args is ["serve-contrast", .. var hostArgs])
{
    await HealthPollContrastHost.RunAsync(hostArgs);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>The entry point.</summary>
public partial class Program;
