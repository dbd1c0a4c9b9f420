namespace CertGuard.Tests.Fuzzing;

/// <summary>
/// A fact that runs only when CERTGUARD_FUZZ_P12_INPUT holds a reported input's base64. Re-sealed PKCS#12 inputs grow
/// from seeds minted at run time (fresh keys, salts and signatures), so an index cannot replay them; the bytes can.
/// </summary>
internal sealed class InputReplayFactAttribute : FactAttribute
{
    public static readonly byte[]? Input = Environment.GetEnvironmentVariable("CERTGUARD_FUZZ_P12_INPUT") is { Length: > 0 } text ? Convert.FromBase64String(text) : null;

    public InputReplayFactAttribute()
    {
        if (Input is null)
        {
            Skip = "set CERTGUARD_FUZZ_P12_INPUT to a reported input's base64 to replay it";
        }
    }
}
