using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CertGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// Reference assemblies from the SDK that runs the tests (packs/Microsoft.NETCore.App.Ref and
/// Microsoft.AspNetCore.App.Ref), so no test downloads a package.
/// </summary>
internal static class LocalReferenceAssemblies
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> _all = new(Load);

    public static ImmutableArray<MetadataReference> All => _all.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        // typeof(object) lives in <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var runtimeVersion = Environment.Version;

        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
        {
            var directory = FindRefDirectory(Path.Combine(dotnetRoot, "packs", pack), runtimeVersion)
                ?? throw new InvalidOperationException($"No {pack} for .NET {runtimeVersion.Major}.{runtimeVersion.Minor} under {dotnetRoot}/packs; install the .NET SDK that runs these tests.");
            foreach (var dll in Directory.EnumerateFiles(directory, "*.dll"))
            {
                references.Add(MetadataReference.CreateFromFile(dll));
            }
        }

        return references.ToImmutable();
    }

    private static string? FindRefDirectory(string packDirectory, Version runtimeVersion)
    {
        if (!Directory.Exists(packDirectory))
        {
            return null;
        }

        var tfm = $"net{runtimeVersion.Major}.{runtimeVersion.Minor}";
        return Directory.EnumerateDirectories(packDirectory)
            .Select(versionDirectory => (Version: Version.TryParse(Path.GetFileName(versionDirectory).Split('-')[0], out var v) ? v : null, Path: Path.Combine(versionDirectory, "ref", tfm)))
            .Where(candidate => candidate.Version is not null && candidate.Version.Major == runtimeVersion.Major && Directory.Exists(candidate.Path))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Path)
            .FirstOrDefault();
    }
}
