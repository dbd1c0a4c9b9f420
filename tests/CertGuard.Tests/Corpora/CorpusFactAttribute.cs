namespace CertGuard.Tests.Corpora;

/// <summary>
/// A fact that needs the shared corpora. Skipped (visibly) on a machine without them; never skipped in CI, where a
/// missing corpus must fail rather than pass quietly.
/// </summary>
internal sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (Corpus.Root is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "the shared corpora (../shared/corpora or CERTGUARD_CORPORA) are not on this machine";
        }
    }
}
