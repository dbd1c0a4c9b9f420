namespace CertGuard.Loading;

/// <summary>
/// The key-derivation work one PKCS#12 file may cost, over every candidate password and every decryption path. Each
/// derivation is charged before it runs, so a file with many candidates and a high iteration count stops at the budget
/// instead of pinning a CPU for minutes.
/// </summary>
internal sealed class Pkcs12WorkBudget(long limit)
{
    /// <summary>The default budget: five times the platform's per-archive total, room for dozens of candidate passwords.</summary>
    public static readonly long DefaultLimit = 5L * Pkcs12IterationGuard.TotalLimit;

    [ThreadStatic]
    private static long t_chargedOnThread;

    /// <summary>Every iteration charged on the current thread, ever: lets tests bound the work a load did.</summary>
    public static long ChargedOnThread => t_chargedOnThread;

    public long Limit { get; } = limit;

    public long Spent { get; private set; }

    /// <summary>Charges <paramref name="iterations"/> if they fit in what is left; false (charging nothing) otherwise.</summary>
    public bool TrySpend(long iterations)
    {
        if (Spent + iterations > Limit)
        {
            return false;
        }

        Spent += iterations;
        t_chargedOnThread += iterations;
        return true;
    }
}
