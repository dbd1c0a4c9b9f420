using CertGuard.AspNetCore.Reload;
using CertGuard.AspNetCore.Tests.Fixtures;

namespace CertGuard.AspNetCore.Tests.Reload;

public sealed class SymbolicLinksTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_plain_file_resolves_to_itself()
    {
        var file = _directory.Write("tls.crt", "x");

        Assert.Equal(file, SymbolicLinks.Resolve(file));
    }

    [Fact]
    public void A_file_link_through_a_directory_link_resolves_to_the_real_file()
    {
        var real = _directory.Write("..2026_01/tls.crt", "x");
        File.CreateSymbolicLink(Path.Combine(_directory.Path, "..data"), "..2026_01");
        var link = Path.Combine(_directory.Path, "tls.crt");
        File.CreateSymbolicLink(link, "..data/tls.crt");

        Assert.Equal(real, SymbolicLinks.Resolve(link));
    }

    [Fact]
    public void A_relative_link_to_a_parent_directory_resolves_against_the_links_directory()
    {
        var real = _directory.Write("archive/fullchain3.pem", "x");
        Directory.CreateDirectory(Path.Combine(_directory.Path, "live"));
        var link = Path.Combine(_directory.Path, "live", "fullchain.pem");
        File.CreateSymbolicLink(link, "../archive/fullchain3.pem");

        Assert.Equal(real, SymbolicLinks.Resolve(link));
    }

    [Fact]
    public void A_link_loop_or_a_missing_file_gives_the_path_back_without_throwing()
    {
        var a = Path.Combine(_directory.Path, "a");
        var b = Path.Combine(_directory.Path, "b");
        File.CreateSymbolicLink(a, "b");
        File.CreateSymbolicLink(b, "a");
        var missing = Path.Combine(_directory.Path, "missing", "tls.crt");

        Assert.Equal(a, SymbolicLinks.Resolve(a));
        Assert.Equal(missing, SymbolicLinks.Resolve(missing));
    }
}
