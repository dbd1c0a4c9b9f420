namespace CertGuard.AspNetCore.Reload;

/// <summary>The files one server certificate is read from, and the SNI names it is served for.</summary>
/// <remarks>Not a record: its <see cref="ToString"/> must never print the password.</remarks>
internal sealed class CertificateFiles
{
    public CertificateFiles(string certificatePath, string? keyPath, string? password, IReadOnlyList<string> serverNames)
    {
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        Password = password;
        ServerNames = serverNames;
    }

    public string CertificatePath { get; }

    public string? KeyPath { get; }

    public string? Password { get; }

    public IReadOnlyList<string> ServerNames { get; }

    public IEnumerable<string> Paths => KeyPath is null ? [CertificatePath] : [CertificatePath, KeyPath];

    public override string ToString() => KeyPath is null ? CertificatePath : $"{CertificatePath} (key {KeyPath})";
}
