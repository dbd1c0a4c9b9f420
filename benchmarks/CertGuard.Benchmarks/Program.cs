using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/CertGuard.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
