using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using CertGuard.Loading;
using CertGuard.Sources;
using Microsoft.Extensions.Time.Testing;

namespace CertGuard.Tests;

/// <summary>A source that loads in parts (a directory, one file at a time) is scanned one part at a time.</summary>
public sealed class CertificateScannerPartsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestCertificates.Now);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Each_part_is_judged_and_released_before_the_next_is_loaded()
    {
        var source = new PartsSource(3);

        var scan = await new CertificateScanner(timeProvider: _time).ScanAsync(source);

        Assert.Equal(["CN=part-0", "CN=part-1", "CN=part-2"], scan.Reports.Select(r => r.Facts.Subject));
        Assert.Equal([true, true], source.PreviousReleasedWhenNextWasLoaded);
        Assert.Empty(scan.Errors);
    }

    [Fact]
    public async Task A_source_cut_short_by_its_timeout_between_parts_reports_the_timeout_and_no_partial_list()
    {
        var source = new PartsSource(1, hangAfterwards: true) { Timeout = TimeSpan.FromSeconds(5) };
        var scanning = new CertificateScanner(timeProvider: _time).ScanAsync(source);

        await source.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(6));
        var scan = await scanning.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(scan.Reports);
        var error = Assert.Single(scan.Errors);
        Assert.Equal(LoadErrorReason.Timeout, error.Reason);
        Assert.Contains("5 s", error.Message);
    }

    [Fact]
    public async Task A_source_that_throws_between_parts_becomes_an_error_and_no_partial_list()
    {
        var scan = await new CertificateScanner(timeProvider: _time).ScanAsync(new PartsSource(2, throwAfterwards: true));

        Assert.Empty(scan.Reports);
        var error = Assert.Single(scan.Errors);
        Assert.Equal(LoadErrorReason.ReadFailed, error.Reason);
        Assert.Contains(nameof(InvalidOperationException), error.Message);
    }

    [Fact]
    public async Task A_directory_reads_each_file_only_when_its_part_is_taken()
    {
        using var a = TestCertificates.Create("CN=a");
        using var b = TestCertificates.Create("CN=b");
        _directory.Write("a.pem", TestCertificates.Pem(a));
        _directory.Write("b.pem", TestCertificates.Pem(b));
        var source = new DirectoryCertificateSource(_directory.Path);

        await using var parts = source.LoadPartsAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await parts.MoveNextAsync());
        using (var first = parts.Current)
        {
            Assert.Equal("CN=a", Assert.Single(first.Certificates).Certificate.Subject);
        }

        // Listed already, but not read yet: removing it now shows up in its own part.
        File.Delete(Path.Combine(_directory.Path, "b.pem"));
        Assert.True(await parts.MoveNextAsync());
        using var second = parts.Current;
        Assert.Empty(second.Certificates);
        Assert.Equal(LoadErrorReason.NotFound, Assert.Single(second.Errors).Reason);
        Assert.False(await parts.MoveNextAsync());
    }

    [Fact]
    public async Task A_directory_scanned_in_parts_reports_what_loading_it_whole_reports()
    {
        using var a = TestCertificates.Create("CN=a");
        using var b = TestCertificates.Create("CN=b");
        _directory.Write("a.pem", TestCertificates.Pem(a, b));
        _directory.Write("nested/c.der", a.RawData);
        _directory.Write("junk.crt", "junk");
        var source = new DirectoryCertificateSource(_directory.Path);

        var scan = await new CertificateScanner(timeProvider: _time).ScanAsync(source);
        using var whole = await source.LoadAsync(CancellationToken.None);

        Assert.Equal(whole.Certificates.Select(c => c.DisplayLocation), scan.Reports.Select(r => r.Facts.DisplayLocation));
        Assert.Equal(whole.Errors, scan.Errors);
    }

    private sealed class PartsSource(int count, bool hangAfterwards = false, bool throwAfterwards = false) : CertificateSource("parts")
    {
        public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<bool> PreviousReleasedWhenNextWasLoaded { get; } = [];

        public override string Kind => "test";

        public override string Location => "test:parts";

        public override ValueTask<CertificateLoadResult> LoadAsync(CancellationToken cancellationToken) =>
            throw new NotSupportedException("scanned in parts only");

        public override async IAsyncEnumerable<CertificateLoadResult> LoadPartsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            X509Certificate2? previous = null;
            for (var i = 0; i < count; i++)
            {
                if (previous is not null)
                {
                    PreviousReleasedWhenNextWasLoaded.Add(previous.Handle == IntPtr.Zero);
                }

                using var certificate = TestCertificates.Create($"CN=part-{i}");
                var part = CertificateLoader.Load(certificate.RawData, $"test:parts#{i}");
                previous = part.Certificates[0].Certificate;
                yield return part;
            }

            if (hangAfterwards)
            {
                Hanging.TrySetResult();
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            }

            if (throwAfterwards)
            {
                throw new InvalidOperationException("broken between parts");
            }
        }
    }
}
