using System.Reflection;

namespace CertGuard.PackageTests;

/// <summary>
/// The CertGuard, CertGuard.AspNetCore and CertGuard.Cli packages packed once for the test collection from a copy of
/// the repository's sources, with a version no earlier run can have left in a NuGet cache.
/// </summary>
public sealed class PackedCertGuard : IAsyncLifetime
{
    private static readonly TimeSpan _packTimeout = TimeSpan.FromMinutes(6);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "certguard-package-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public string Version { get; } = "0.0.0-test." + Guid.NewGuid().ToString("N")[..12];

    public string Feed => Path.Combine(Root, "feed");

    public async Task InitializeAsync()
    {
        var repositoryRoot = typeof(PackedCertGuard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "RepositoryRoot").Value!;
        var sources = Path.Combine(Root, "repository");

        // A copy keeps the test's Release build and version out of the developer's bin/obj folders.
        CopyDirectory(Path.Combine(repositoryRoot, "src"), Path.Combine(sources, "src"));
        CopyDirectory(Path.Combine(repositoryRoot, "docs"), Path.Combine(sources, "docs"));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "Directory.Build.targets", "global.json", ".editorconfig", "README.md", "LICENSE", "nuget.config", "NuGet.config" })
        {
            var source = Path.Combine(repositoryRoot, file);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(sources, file));
            }
        }

        // The package embeds the repository README; until it exists, a stand-in lets pack run.
        var readme = Path.Combine(sources, "README.md");
        if (!File.Exists(readme))
        {
            await File.WriteAllTextAsync(readme, "# CertGuard\n");
        }

        foreach (var package in new[] { "CertGuard", "CertGuard.AspNetCore", "CertGuard.Cli" })
        {
            var (exitCode, output) = await DotnetProcess.RunAsync(
                sources,
                _packTimeout,
                null,
                "pack", $"src/{package}/{package}.csproj", "-c", "Release", "-o", Feed, "-p:Version=" + Version,
                "-nodeReuse:false", "-p:UseSharedCompilation=false");
            Assert.True(exitCode == 0, $"dotnet pack of {package} failed:\n" + output);
            Assert.True(File.Exists(PackagePath(package)), $"no {package} package was produced:\n" + output);
        }
    }

    /// <summary>The path of a packed package in the feed.</summary>
    public string PackagePath(string package) => Path.Combine(Feed, $"{package}.{Version}.nupkg");

    public Task DisposeAsync()
    {
        TryDelete(Root);

        // The unique version was extracted into the global packages folder by the consumers' restore.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(cache, "certguard", Version));
        TryDelete(Path.Combine(cache, "certguard.aspnetcore", Version));
        TryDelete(Path.Combine(cache, "certguard.cli", Version));
        return Task.CompletedTask;
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj")
            {
                continue;
            }

            CopyDirectory(directory, Path.Combine(destination, name));
        }

        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the run over it would not be.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
