namespace CertGuard.Loading;

/// <summary>
/// BouncyCastle reports malformed input with a spread of exception types (IOException, ArgumentException,
/// InvalidCastException, and its own). This names the ones that mean "bad bytes", so they become load errors.
/// </summary>
internal static class BouncyCastleFailure
{
    public static bool IsParseFailure(Exception ex) =>
        ex is IOException or ArgumentException or InvalidCastException or InvalidOperationException or FormatException
            or IndexOutOfRangeException or OverflowException or NullReferenceException or EndOfStreamException
            or Org.BouncyCastle.Security.GeneralSecurityException or Org.BouncyCastle.Crypto.CryptoException
            or Org.BouncyCastle.Asn1.Asn1Exception or Org.BouncyCastle.Security.Certificates.CertificateException;

    public static string Describe(Exception ex)
    {
        var message = ex.Message.Trim().TrimEnd('.');
        return message.Length == 0 ? ex.GetType().Name : message;
    }
}
