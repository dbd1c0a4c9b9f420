using System.Text.Json;
using CertGuard.Tests.Inspection.Revocation;

namespace CertGuard.Cli.Tests.Scanning;

/// <summary>
/// <c>certguard scan DIR --trust ca.pem --revocation online</c> against a private CA whose OCSP responder and CRL server
/// run on loopback: the issuer is the trust anchor given, so revocation is answered, not unknown.
/// </summary>
public sealed class PrivateCaRevocationScanTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private RevocationTestServer _server = null!;

    public async Task InitializeAsync() => _server = await RevocationTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_revoked_leaf_is_unhealthy_and_the_good_one_has_no_revocation_finding()
    {
        var (leaves, ca) = Deploy();
        using var revoked = _server.IssueLeaf("revoked.internal.test");
        using var good = _server.IssueLeaf("good.internal.test");
        File.WriteAllText(Path.Combine(leaves, "revoked.pem"), revoked.ExportCertificatePem());
        File.WriteAllText(Path.Combine(leaves, "good.pem"), good.ExportCertificatePem());
        _server.Revoke(revoked, DateTimeOffset.UtcNow.AddHours(-1), Org.BouncyCastle.Asn1.X509.CrlReason.KeyCompromise);

        var run = await CliRun.RunAsync("scan", leaves, "--trust", ca, "--revocation", "online", "--format", "json", "--quiet");

        Assert.True(run.ExitCode == 1, run.ToString());
        var certificates = Certificates(run);
        Assert.Equal(["revoked"], FindingIds(certificates["CN=revoked.internal.test"]));
        Assert.Equal("Unhealthy", certificates["CN=revoked.internal.test"].GetProperty("status").GetString());
        Assert.Empty(FindingIds(certificates["CN=good.internal.test"]));
        Assert.Equal("Healthy", certificates["CN=good.internal.test"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task With_the_responders_down_both_leaves_are_revocation_unknown_and_the_scan_passes()
    {
        var (leaves, ca) = Deploy();
        _server.OcspOverride = context =>
        {
            context.Response.StatusCode = 502;
            return Task.CompletedTask;
        };
        _server.CrlOverride = _server.OcspOverride;
        using var first = _server.IssueLeaf("one.internal.test");
        using var second = _server.IssueLeaf("two.internal.test");
        File.WriteAllText(Path.Combine(leaves, "one.pem"), first.ExportCertificatePem());
        File.WriteAllText(Path.Combine(leaves, "two.pem"), second.ExportCertificatePem());

        var run = await CliRun.RunAsync("scan", leaves, "--trust", ca, "--revocation", "online", "--format", "json", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var certificate in Certificates(run).Values)
        {
            Assert.Equal(["revocation-unknown"], FindingIds(certificate));
            Assert.Equal("Degraded", certificate.GetProperty("status").GetString());
        }

        Assert.DoesNotContain("issuer certificate not available", run.Out, StringComparison.Ordinal);
    }

    private (string Leaves, string Ca) Deploy()
    {
        var leaves = Directory.CreateDirectory(_dir["leaves"]).FullName;
        var ca = _dir.Write("ca.pem", _server.Pki.Certificate.ExportCertificatePem());
        return (leaves, ca);
    }

    private static Dictionary<string, JsonElement> Certificates(CliRun run)
    {
        var json = JsonDocument.Parse(run.Out).RootElement;
        return json.GetProperty("certificates").EnumerateArray().ToDictionary(c => c.GetProperty("subject").GetString()!, c => c.Clone());
    }

    private static List<string?> FindingIds(JsonElement certificate) =>
        certificate.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
}
