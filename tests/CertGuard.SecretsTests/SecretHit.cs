namespace CertGuard.SecretsTests;

/// <summary>A secret found in an output. Its <see cref="ToString"/> shows only a prefix of what was found, never the secret in full.</summary>
/// <param name="Output">The output it was found in.</param>
/// <param name="Secret">Which secret: the password or key and, for a key, which part of it.</param>
/// <param name="Form">The form it took (text, base64, hex, a PEM line, raw bytes).</param>
/// <param name="Found">What was found; kept for the self-check, printed only as a prefix.</param>
internal sealed record SecretHit(string Output, string Secret, string Form, string Found)
{
    public override string ToString() => $"{Output}: {Secret} as {Form}, starting '{Found[..Math.Min(6, Found.Length)]}…'";
}
