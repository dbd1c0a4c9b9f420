using System.Text;
using CertGuard.Loading;
using CertGuard.Sources;

namespace CertGuard.Tests.Sources;

public sealed class DirectoryCertificateSourceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Scan_finds_certificates_recursively_and_reports_each_bad_file_without_hiding_the_good_ones()
    {
        using var a = TestCertificates.Create("CN=a");
        using var b = TestCertificates.Create("CN=b");
        _directory.Write("a.pem", TestCertificates.Pem(a));
        _directory.Write("nested/deeper/b.der", b.RawData);
        _directory.Write("empty.crt", string.Empty);
        _directory.Write("garbage.cer", Encoding.ASCII.GetBytes("not a certificate at all"));
        _directory.Write("notes.txt", "ignored by the default patterns");

        var source = new DirectoryCertificateSource(_directory.Path);
        using var result = await source.LoadAsync(CancellationToken.None);

        Assert.Equal(["CN=a", "CN=b"], result.Certificates.Select(c => c.Certificate.Subject).Order());
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Reason == LoadErrorReason.Empty && e.Location.EndsWith("empty.crt", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Reason == LoadErrorReason.UnrecognizedFormat && e.Location.EndsWith("garbage.cer", StringComparison.Ordinal));
    }

    [Fact]
    public void Include_and_exclude_patterns_choose_the_files()
    {
        _directory.Write("keep/site.pem", "x");
        _directory.Write("keep/old/site.pem", "x");
        _directory.Write("other/site.pem", "x");
        _directory.Write("keep/site.conf", "x");

        var source = new DirectoryCertificateSource(_directory.Path, include: ["keep/**/*.pem"], exclude: ["**/old/**"]);

        Assert.Equal([Path.Combine(_directory.Path, "keep", "site.pem")], source.FindFiles());
    }

    [Fact]
    public async Task Missing_directory_is_not_found()
    {
        var missing = Path.Combine(_directory.Path, "absent");
        using var result = await new DirectoryCertificateSource(missing).LoadAsync(CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal((missing, LoadErrorReason.NotFound), (error.Location, error.Reason));
    }

    [Fact]
    public async Task Passwords_apply_to_every_file()
    {
        using var leaf = TestCertificates.Create();
        _directory.Write("site.pfx", TestCertificates.Pfx(leaf, "pw-123"));

        var source = new DirectoryCertificateSource(_directory.Path, options: new CertificateLoadOptions { Passwords = ["pw-123"] });
        using var result = await source.LoadAsync(CancellationToken.None);

        Assert.Single(result.Certificates);
        Assert.Empty(result.Errors);
    }
}
