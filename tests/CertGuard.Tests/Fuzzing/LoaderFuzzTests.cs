using System.Diagnostics;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;
using Xunit.Abstractions;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// Hostile input: mutated certificates of every format through loading, inspection and policy. Nothing may throw,
/// hang or allocate without bound. CI runs a short pass; <c>benchmarks/scripts/fuzz.sh</c> runs 100,000 inputs per format
/// (CERTGUARD_FUZZ_ITERATIONS) and its figures are in docs/reliability.md.
/// </summary>
public sealed class LoaderFuzzTests(ITestOutputHelper output)
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("CERTGUARD_FUZZ_ITERATIONS"), out var n) ? n : 1500;

    // Work, not wall-clock time, is bounded: a busy CI machine must not fail the run. Elapsed times are only reported;
    // the long run (benchmarks/scripts/fuzz.sh) records the real maximum.
    private const long AllocationBound = 256L * 1024 * 1024;

    [Theory]
    [InlineData("der")]
    [InlineData("pem")]
    [InlineData("pfx")]
    [InlineData("p7b")]
    [InlineData("jks")]
    public void Mutated_inputs_never_throw_hang_or_allocate_without_bound(string format)
    {
        var seeds = FuzzSeeds.For(format);
        var options = new CertificateLoadOptions { Passwords = [FuzzSeeds.Password] };
        var inspector = new CertificateInspector();
        var policy = new CertificatePolicy();
        var mutator = MutatorFor(format);
        var slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        int loaded = 0, rejected = 0;
        var reasons = new Dictionary<LoadErrorReason, int>();

        for (var i = 0; i < Iterations; i++)
        {
            var input = NextInput(mutator, seeds, i);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var derivedBefore = Pkcs12WorkBudget.ChargedOnThread;
            var watch = Stopwatch.StartNew();
            try
            {
                // Keystore integrity checks stop mutated input early; without a password the parser itself is reached.
                var inputOptions = format == "jks" && i % 2 == 1 ? CertificateLoadOptions.Default : options;
                using var result = CertificateLoader.Load(input, $"fuzz-{format}-{i}", inputOptions);
                foreach (var certificate in result.Certificates)
                {
                    policy.Evaluate(inspector.Inspect(certificate), TestCertificates.Now);
                }

                foreach (var error in result.Errors)
                {
                    Assert.False(string.IsNullOrWhiteSpace(error.Message));
                    Assert.DoesNotContain(FuzzSeeds.Password, error.Message, StringComparison.Ordinal);
                    reasons[error.Reason] = reasons.GetValueOrDefault(error.Reason) + 1;
                }

                loaded += result.Certificates.Count > 0 ? 1 : 0;
                rejected += result.Certificates.Count == 0 ? 1 : 0;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{format} input {i} (mutator seed replays it) threw {ex.GetType().Name}: {ex.Message}\ninput: {Convert.ToBase64String(input)}");
            }

            var elapsed = watch.Elapsed;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            slowest = elapsed > slowest ? elapsed : slowest;
            mostAllocated = Math.Max(mostAllocated, allocated);
            var derived = Pkcs12WorkBudget.ChargedOnThread - derivedBefore;
            Assert.True(derived <= Pkcs12WorkBudget.DefaultLimit, $"{format} input {i} cost {derived} key-derivation iterations: {Convert.ToBase64String(input)}");
            Assert.True(allocated < AllocationBound, $"{format} input {i} allocated {allocated} bytes: {Convert.ToBase64String(input)}");
        }

        output.WriteLine($"{format}: {Iterations} inputs from {seeds.Count} seeds; loaded {loaded}, rejected {rejected}; slowest {slowest.TotalMilliseconds:0.0} ms; most allocated {mostAllocated / 1024} KiB");
        output.WriteLine("rejections: " + string.Join(", ", reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")));
        Assert.True(rejected > 0, "the mutator produced no input the loader rejected: it is not mutating");
    }

    /// <summary>
    /// Regenerates one reported input (CERTGUARD_FUZZ_REPLAY=format:index) by replaying the mutations before it, then
    /// loads and inspects it with no exception handling in the way, so its stack trace shows.
    /// </summary>
    [ReplayFact]
    public void Replay_a_reported_input()
    {
        var (format, index) = ReplayFactAttribute.Target!.Value;
        var seeds = FuzzSeeds.For(format);
        var mutator = MutatorFor(format);
        var input = Array.Empty<byte>();
        for (var i = 0; i <= index; i++)
        {
            input = NextInput(mutator, seeds, i);
        }

        output.WriteLine(Convert.ToBase64String(input));
        using var result = CertificateLoader.Load(input, "replay", new CertificateLoadOptions { Passwords = [FuzzSeeds.Password] });
        foreach (var certificate in result.Certificates)
        {
            output.WriteLine(new CertificatePolicy().Evaluate(new CertificateInspector().Inspect(certificate), TestCertificates.Now).Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    // string.GetHashCode is randomized per process; a replayable run needs a seed that is the same every time.
    private static Mutator MutatorFor(string format) => new(seed: format.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)) ^ 0x5EED);

    private static byte[] NextInput(Mutator mutator, IReadOnlyList<byte[]> seeds, int i) =>
        mutator.Mutate(seeds[i % seeds.Count], seeds[(i * 7 + 3) % seeds.Count]);
}
