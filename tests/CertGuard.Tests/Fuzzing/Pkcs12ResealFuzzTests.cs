using System.Diagnostics;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;
using Xunit.Abstractions;

namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// PKCS#12 fuzzing below the MAC: every mutated AuthenticatedSafe is sealed again with a valid MAC, so the parsers
/// behind it (SafeContents, bags, shrouded keys, certificate bags, attributes, PBES1/PBES2 parameters, iteration counts,
/// the BouncyCastle fallback) see the hostile input. Same pipeline and oracles as <see cref="LoaderFuzzTests"/>; the
/// outcome tally shows how deep the inputs got. CI runs a short pass; <c>benchmarks/scripts/fuzz.sh</c> runs 100,000.
/// </summary>
public sealed class Pkcs12ResealFuzzTests(ITestOutputHelper output)
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("CERTGUARD_FUZZ_ITERATIONS"), out var n) ? n : 150;

    // Only a hang guard, far above any real load (a busy CI machine once took over 10 s on one input); the bound this
    // test asserts is work: key-derivation iterations charged and bytes allocated per input.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);
    private const long AllocationBound = 256L * 1024 * 1024;
    private const int MutatorSeed = 0x9F12;

    [Fact]
    public async Task Resealed_mutations_never_throw_hang_or_allocate_without_bound()
    {
        var seeds = Pkcs12Seeds.Opened();
        var mutator = new ResealingMutator(MutatorSeed);
        var inspector = new CertificateInspector();
        var policy = new CertificatePolicy();
        var outcomes = new Dictionary<string, int>();
        var slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        var slowestInput = "none";

        for (var i = 0; i < Iterations; i++)
        {
            var (seed, input) = NextInput(mutator, seeds, i);
            var work = Task.Run(() =>
            {
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                var derivedBefore = Pkcs12WorkBudget.ChargedOnThread;
                var watch = Stopwatch.StartNew();
                using var result = CertificateLoader.Load(input, $"fuzz-p12-{i}", OptionsFor(seed));
                foreach (var certificate in result.Certificates)
                {
                    policy.Evaluate(inspector.Inspect(certificate), TestCertificates.Now);
                }

                foreach (var error in result.Errors)
                {
                    // The MAC is valid for the password given: whatever is wrong, it is not the password.
                    Assert.True(error.Reason is not (LoadErrorReason.WrongPassword or LoadErrorReason.PasswordRequired), $"input {i} (seed {seed.Name}) blamed the password: {error.Message}");
                    Assert.False(string.IsNullOrWhiteSpace(error.Message));
                    Assert.DoesNotContain(Pkcs12Seeds.Password, error.Message, StringComparison.Ordinal);
                }

                var derived = Pkcs12WorkBudget.ChargedOnThread - derivedBefore;
                Assert.True(derived <= Pkcs12WorkBudget.DefaultLimit, $"input {i} (seed {seed.Name}) cost {derived} key-derivation iterations");
                var outcome = Pkcs12Outcome.Of(result);
                var elapsed = watch.Elapsed;
                var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                if (result.Certificates.Count == 0 && PlatformLoads(input, seed.Password))
                {
                    outcome += " [the platform loads it]";
                }

                return (Outcome: outcome, Elapsed: elapsed, Allocated: allocated);
            });

            (string Outcome, TimeSpan Elapsed, long Allocated) measured = default;
            try
            {
                measured = await work.WaitAsync(HangGuard);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"input {i} (seed {seed.Name}) hung (no answer within the {HangGuard} hang guard): {Convert.ToBase64String(input)}");
            }
            catch (Exception ex)
            {
                Assert.Fail($"input {i} (seed {seed.Name}) threw {ex}\ninput (CERTGUARD_FUZZ_P12_INPUT replays it): {Convert.ToBase64String(input)}");
            }

            var (outcome, elapsed, allocated) = measured;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (elapsed > slowest)
            {
                (slowest, slowestInput) = (elapsed, $"input {i}, seed {seed.Name}, {outcome}");
                if (Environment.GetEnvironmentVariable("CERTGUARD_FUZZ_P12_SLOWEST") is { Length: > 0 } path)
                {
                    File.WriteAllBytes(path, input);
                }
            }

            mostAllocated = Math.Max(mostAllocated, allocated);
            Assert.True(allocated < AllocationBound, $"input {i} (seed {seed.Name}) allocated {allocated} bytes: {Convert.ToBase64String(input)}");
        }

        output.WriteLine($"p12 resealed: {Iterations} inputs from {seeds.Count} seeds ({seeds.Sum(s => s.EncryptedParts)} ciphertexts opened); slowest {slowest.TotalMilliseconds:0.0} ms ({slowestInput}); most allocated {mostAllocated / 1024} KiB");
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value))
        {
            output.WriteLine($"  {count,7}  {outcome}");
        }

        var pastTheMac = outcomes.Where(o => Pkcs12Outcome.IsPastTheMac(o.Key)).Sum(o => o.Value);
        output.WriteLine($"past the MAC: {pastTheMac} of {Iterations}");
        Assert.True(pastTheMac > Iterations / 4, $"only {pastTheMac} of {Iterations} inputs got past the MAC: the sealer is not working");
        Assert.Contains(outcomes.Keys, o => o.StartsWith("loaded", StringComparison.Ordinal));
        Assert.Contains(outcomes.Keys, o => !o.StartsWith("loaded", StringComparison.Ordinal));
    }

    /// <summary>
    /// Loads one reported input (CERTGUARD_FUZZ_P12_INPUT=base64 from the failure message) with the minted seeds' and
    /// the corpus's passwords, with no exception handling or thread in the way, so its stack trace shows.
    /// </summary>
    [InputReplayFact]
    public void Replay_a_reported_input()
    {
        using var result = CertificateLoader.Load(InputReplayFactAttribute.Input!, "replay", new CertificateLoadOptions { Passwords = [Pkcs12Seeds.Password, "cryptography", "password"] });
        foreach (var certificate in result.Certificates)
        {
            new CertificatePolicy().Evaluate(new CertificateInspector().Inspect(certificate), TestCertificates.Now);
        }

        output.WriteLine(Pkcs12Outcome.Of(result));
    }

    /// <summary>The differential oracle: what the bare platform loader makes of the same bytes and password.</summary>
    private static bool PlatformLoads(byte[] input, string? password)
    {
        try
        {
            var certificates = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12Collection(
                input, password, System.Security.Cryptography.X509Certificates.X509KeyStorageFlags.EphemeralKeySet);
            var loaded = certificates.Count > 0;
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            return loaded;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static CertificateLoadOptions OptionsFor(OpenedPfx seed) =>
        new() { Passwords = string.IsNullOrEmpty(seed.Password) ? [] : [seed.Password] };

    private static (OpenedPfx Seed, byte[] Input) NextInput(ResealingMutator mutator, IReadOnlyList<OpenedPfx> seeds, int i)
    {
        var seed = seeds[i % seeds.Count];
        return (seed, mutator.Mutate(seed, seeds[(i * 7 + 3) % seeds.Count]));
    }
}
