using System.Diagnostics;
using System.Net.Sockets;
using CertGuard.Loading;
using CertGuard.Policy;
using CertGuard.Sources;

namespace CertGuard.Tests.Sources;

/// <summary>
/// Hostile and unusual trees (issue 12 items 1, 5, 7 and issue 15 items 6, 7): pipes, sockets and devices are refused
/// without blocking, link loops end, every real file counts once under the configured path, a name that is not UTF-8
/// loads, a path past the system's limit is reported, and one bad file is a warning of its own.
/// </summary>
public sealed class HostileDirectoryTests : IDisposable
{
    // A hang guard only: every case here finishes in milliseconds; before the fix a pipe blocked forever.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly string _good;

    public HostileDirectoryTests()
    {
        using var certificate = TestCertificates.Create("CN=good.example.test");
        _good = TestCertificates.Pem(certificate);
    }

    public void Dispose()
    {
        // rm copes with trees deeper than the path limit, which Directory.Delete does not.
        Run("rm", "-rf", _dir.Path);
        _dir.Dispose();
    }

    [Fact]
    public async Task A_named_pipe_beside_a_good_certificate_is_refused_without_blocking_and_the_certificate_is_reported()
    {
        _dir.Write("d/good.pem", _good);
        Run("mkfifo", _dir["d/pipe.pem"]);

        using var result = await LoadAsync(new DirectoryCertificateSource(_dir["d"]));

        Assert.Equal("CN=good.example.test", Assert.Single(result.Certificates).Certificate.Subject);
        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.NotARegularFile, error.Reason);
        Assert.Equal(Path.Combine(_dir["d"], "pipe.pem"), error.Location);
        Assert.Contains("named pipe", error.Message);
        Assert.Equal(FindingSeverity.Warning, error.Severity);
    }

    [Fact]
    public async Task A_file_source_on_a_pipe_a_socket_or_a_device_is_a_critical_typed_error()
    {
        Run("mkfifo", _dir["pipe.pem"]);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(_dir["socket.pem"]));

        foreach (var path in new[] { _dir["pipe.pem"], _dir["socket.pem"], "/dev/zero" })
        {
            using var result = await LoadAsync(new FileCertificateSource(path));
            var error = Assert.Single(result.Errors);
            Assert.Equal(LoadErrorReason.NotARegularFile, error.Reason);
            Assert.Equal(path, error.Location);
            Assert.Equal(FindingSeverity.Critical, error.Severity);
        }
    }

    [Fact]
    public async Task Two_link_loops_end_and_the_certificate_is_listed_once()
    {
        _dir.Write("d/good.pem", _good);
        File.CreateSymbolicLink(_dir["d/l1"], ".");
        File.CreateSymbolicLink(_dir["d/l2"], ".");
        var source = new DirectoryCertificateSource(_dir["d"]);

        using var result = await LoadAsync(source);

        Assert.Equal([Path.Combine(_dir["d"], "good.pem")], source.FindFiles());
        Assert.Single(result.Certificates);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task A_kubernetes_secret_volume_counts_each_certificate_once_under_the_configured_path()
    {
        var volume = _dir["secret"];
        _dir.Write("secret/..2026_12_06_10_00_00.123/tls.crt", _good);
        _dir.Write("secret/..2026_12_06_10_00_00.123/ca.crt", _good);
        File.CreateSymbolicLink(Path.Combine(volume, "..data"), "..2026_12_06_10_00_00.123");
        File.CreateSymbolicLink(Path.Combine(volume, "tls.crt"), "..data/tls.crt");
        File.CreateSymbolicLink(Path.Combine(volume, "ca.crt"), "..data/ca.crt");
        File.CreateSymbolicLink(Path.Combine(volume, "self"), ".");

        using var result = await LoadAsync(new DirectoryCertificateSource(volume));

        // ca.crt and tls.crt hold the same certificate, but they are two files: two certificates, neither counted thrice.
        Assert.Equal([Path.Combine(volume, "ca.crt"), Path.Combine(volume, "tls.crt")], result.Certificates.Select(c => c.Location).Order(StringComparer.Ordinal));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task A_certbot_tree_counts_each_certificate_once_under_its_live_name()
    {
        _dir.Write("letsencrypt/archive/example.test/cert1.pem", _good);
        Directory.CreateDirectory(_dir["letsencrypt/live/example.test"]);
        File.CreateSymbolicLink(_dir["letsencrypt/live/example.test/cert.pem"], "../../archive/example.test/cert1.pem");

        using var result = await LoadAsync(new DirectoryCertificateSource(_dir["letsencrypt"]));

        Assert.Equal(Path.Combine(_dir["letsencrypt"], "live/example.test/cert.pem"), Assert.Single(result.Certificates).Location);
    }

    [Fact]
    public async Task A_file_whose_name_is_not_utf8_is_loaded_and_named_with_its_bytes_shown()
    {
        _dir.Write("d/good.pem", _good);
        Run("sh", "-c", "cp \"$1/good.pem\" \"$1/$(printf 'bad\\377.pem')\"", "sh", _dir["d"]);

        using var result = await LoadAsync(new DirectoryCertificateSource(_dir["d"]));

        Assert.Empty(result.Errors);
        Assert.Equal([Path.Combine(_dir["d"], "bad\\xff.pem"), Path.Combine(_dir["d"], "good.pem")], result.Certificates.Select(c => c.Location).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_file_deeper_than_the_path_limit_is_reported_not_skipped()
    {
        _dir.Write("d/good.pem", _good);
        // Two chains of 15 names of 200 characters, each short enough to make, then one moved into the other: 6,000+ bytes.
        var chain = string.Join('/', Enumerable.Repeat(new string('n', 200), 15));
        Run("sh", "-c", $"cd \"$1\" && mkdir -p a/{chain} b/{chain} && cp good.pem b/{chain}/deep.pem && mv b a/{chain}/", "sh", _dir["d"]);

        using var result = await LoadAsync(new DirectoryCertificateSource(_dir["d"]));

        Assert.Single(result.Certificates);
        var error = Assert.Single(result.Errors);
        Assert.Equal(LoadErrorReason.PathTooLong, error.Reason);
        Assert.StartsWith(_dir["d"], error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_empty_file_in_a_folder_is_a_warning_of_its_own_unless_configured_critical()
    {
        _dir.Write("d/good.pem", _good);
        _dir.Write("d/empty.pem", string.Empty);
        var scanner = new CertificateScanner(timeProvider: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestCertificates.Now));

        var lenient = await scanner.ScanAsync(new DirectoryCertificateSource(_dir["d"]));
        var strict = await scanner.ScanAsync(new DirectoryCertificateSource(_dir["d"]) { UnreadableFileSeverity = FindingSeverity.Critical });

        Assert.Single(lenient.Reports);
        Assert.Equal(LoadErrorReason.Empty, Assert.Single(lenient.Errors).Reason);
        Assert.Equal(CertificateStatus.Degraded, lenient.Status);
        Assert.Equal(CertificateStatus.Unhealthy, strict.Status);
    }

    [Fact]
    public async Task An_explicitly_named_file_that_cannot_load_stays_critical()
    {
        var scan = await new CertificateScanner().ScanAsync(new FileCertificateSource(_dir.Write("empty.pem", string.Empty)));

        Assert.Equal(FindingSeverity.Critical, Assert.Single(scan.Errors).Severity);
        Assert.Equal(CertificateStatus.Unhealthy, scan.Status);
    }

    private static async Task<CertificateLoadResult> LoadAsync(CertificateSource source) =>
        await Task.Run(async () => await source.LoadAsync(CancellationToken.None)).WaitAsync(HangGuard);

    internal static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
    }
}
