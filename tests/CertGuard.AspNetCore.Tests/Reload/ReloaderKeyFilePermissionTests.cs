using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.Tests.Fixtures;
using CertGuard.Policy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CertGuard.AspNetCore.Tests.Reload;

/// <summary>
/// A key the reloader serves is judged by its file's permissions, as any deployed key is: Info when only the owner
/// can read it, Warning when its group or others can. Real Kestrel on loopback, real files, read through /health/details.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReloaderKeyFilePermissionTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TestCertificateAuthority _intermediate;
    private readonly TempDirectory _directory = new();

    public ReloaderKeyFilePermissionTests() => _intermediate = _root.CreateIntermediate();

    public void Dispose()
    {
        _directory.Dispose();
        _intermediate.Dispose();
        _root.Dispose();
    }

    [Theory]
    [InlineData(OwnerOnly, "Info", "readable only by its file's owner (mode 0600)", 200, "Healthy")]
    [InlineData(OwnerOnly | UnixFileMode.GroupRead, "Warning", "its group can read its file (mode 0640)", 200, "Degraded")]
    [InlineData(OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "Warning", "its group and all other users can read its file (mode 0644)", 200, "Degraded")]
    public async Task A_served_key_is_judged_by_its_files_permissions(UnixFileMode mode, string severity, string message, int code, string status)
    {
        using var leaf = Issue();
        var (certificatePath, keyPath) = Write("tls", leaf, mode);
        await using var app = await StartAsync(certificatePath, keyPath);

        var details = await app.WaitForDetailsAsync(d => d.Reloader.Count == 1 && d.Served.Count == 1);
        var finding = UnprotectedKey(Assert.Single(details.Reloader));
        Assert.Equal(severity, finding.GetProperty("severity").GetString());
        Assert.Contains(message, finding.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((code, status), await app.HealthAsync());

        // The served view (a handshake) holds no key: only the reloader's entry speaks about it.
        Assert.DoesNotContain(FindingIds.UnprotectedPrivateKey, HealthDetails.FindingIds(Assert.Single(details.Served)));
    }

    [Fact]
    public async Task A_rotation_to_a_key_others_can_read_turns_the_finding_into_a_warning()
    {
        using var first = Issue();
        using var second = Issue();
        var (certificatePath, keyPath) = Write("tls", first, OwnerOnly);
        await using var app = await StartAsync(certificatePath, keyPath);
        var before = await app.WaitForDetailsAsync(d => d.Reloader.Count == 1);
        Assert.Equal("Info", UnprotectedKey(Assert.Single(before.Reloader)).GetProperty("severity").GetString());

        // Write then rename, the new key world-readable.
        var (newCertificate, newKey) = Write("staged", second, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        CertificateFileWriter.Rename(newKey, keyPath);
        CertificateFileWriter.Rename(newCertificate, certificatePath);

        var after = await app.WaitForDetailsAsync(d => d.Reloader.Count == 1 && HealthDetails.Thumbprint(d.Reloader[0]) == Sha256(second));
        var reloaded = Assert.Single(after.Reloader);
        Assert.Equal(Sha256(second), HealthDetails.Thumbprint(reloaded));
        Assert.Equal("Warning", UnprotectedKey(reloaded).GetProperty("severity").GetString());
        Assert.Equal((200, "Degraded"), await app.HealthAsync());
    }

    [Fact]
    public async Task A_password_protected_pfx_is_not_an_unprotected_key()
    {
        using var leaf = Issue();
        var path = Path.Combine(_directory.Path, "tls.pfx");
        CertificateFileWriter.WritePfx(path, leaf, "pfx-Passw0rd");
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var app = await ServedApp.StartAsync(
            builder => builder.Services.AddServerCertificateReloader(reloader => reloader.Add(path, null, "pfx-Passw0rd"), options => options.RefreshInterval = TimeSpan.FromMinutes(10)),
            kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>())));

        var details = await app.WaitForDetailsAsync(d => d.Reloader.Count == 1);
        Assert.DoesNotContain(FindingIds.UnprotectedPrivateKey, HealthDetails.FindingIds(Assert.Single(details.Reloader)));
        Assert.DoesNotContain("pfx-Passw0rd", details.ToString(), StringComparison.Ordinal);
    }

    private static JsonElement UnprotectedKey(JsonElement report) =>
        Assert.Single(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == FindingIds.UnprotectedPrivateKey);

    private static Task<ServedApp> StartAsync(string certificatePath, string keyPath) => ServedApp.StartAsync(
        builder => builder.Services.AddServerCertificateReloader(reloader => reloader.Add(certificatePath, keyPath), options => options.RefreshInterval = TimeSpan.FromMinutes(10)),
        kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloader>())));

    private (string CertificatePath, string KeyPath) Write(string name, X509Certificate2 certificate, UnixFileMode keyMode)
    {
        var certificatePath = Path.Combine(_directory.Path, name + ".crt");
        var keyPath = Path.Combine(_directory.Path, name + ".key");
        CertificateFileWriter.WritePem(certificatePath, keyPath, certificate, [_intermediate.Certificate]);
        File.SetUnixFileMode(keyPath, keyMode);
        return (certificatePath, keyPath);
    }

    private X509Certificate2 Issue() => _intermediate.IssueServerCertificate("app.test", ["app.test"], [IPAddress.Loopback]);

    private static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
}
