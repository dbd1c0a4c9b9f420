using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// The methods and constructors that load, import or export a certificate from a file path, bytes or a password,
/// resolved once per compilation.
/// </summary>
internal sealed class CertificateLoadingMethods
{
    private readonly ImmutableHashSet<INamedTypeSymbol> _containingTypes;

    private CertificateLoadingMethods(ImmutableHashSet<INamedTypeSymbol> containingTypes, INamedTypeSymbol? file, INamedTypeSymbol? secureString)
    {
        _containingTypes = containingTypes;
        File = file;
        SecureString = secureString;
    }

    /// <summary>System.IO.File, whose ReadAll* methods turn a path into the bytes or text a loader takes.</summary>
    public INamedTypeSymbol? File { get; }

    /// <summary>System.Security.SecureString, a password type that can still be built from a literal.</summary>
    public INamedTypeSymbol? SecureString { get; }

    /// <summary>Null when the compilation references no certificate API at all, so the rule has nothing to look at.</summary>
    public static CertificateLoadingMethods? TryCreate(Compilation compilation)
    {
        var builder = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in new[]
                 {
                     "System.Security.Cryptography.X509Certificates.X509Certificate",
                     "System.Security.Cryptography.X509Certificates.X509Certificate2",
                     "System.Security.Cryptography.X509Certificates.X509Certificate2Collection",
                     "System.Security.Cryptography.X509Certificates.X509CertificateLoader",
                     "Microsoft.AspNetCore.Hosting.ListenOptionsHttpsExtensions",
                 })
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        if (builder.Count == 0)
        {
            return null;
        }

        return new CertificateLoadingMethods(
            builder.ToImmutable(),
            compilation.GetTypeByMetadataName("System.IO.File"),
            compilation.GetTypeByMetadataName("System.Security.SecureString"));
    }

    /// <summary>True for a constructor or method of a certificate type or loader (including Kestrel's UseHttps).</summary>
    public bool IsCertificateMethod(IMethodSymbol method)
    {
        var containingType = method.ReducedFrom?.ContainingType ?? method.ContainingType;
        return containingType is not null && _containingTypes.Contains(containingType.OriginalDefinition);
    }

    /// <summary>True for a parameter that names a certificate or key file.</summary>
    public static bool IsPathParameter(IParameterSymbol parameter) =>
        parameter.Type.SpecialType == SpecialType.System_String
        && parameter.Name is "fileName" or "filename" or "path" or "certPemFilePath" or "keyPemFilePath";

    /// <summary>True for a parameter that takes the password of a key or PKCS#12 file.</summary>
    public static bool IsPasswordParameter(IParameterSymbol parameter) =>
        parameter.Name is "password";

    /// <summary>True for File.ReadAllBytes/ReadAllText/ReadAllLines, the usual way a path becomes certificate contents.</summary>
    public bool IsFileRead(IMethodSymbol method) =>
        File is not null
        && SymbolEqualityComparer.Default.Equals(method.ContainingType, File)
        && method.Name is "ReadAllBytes" or "ReadAllText" or "ReadAllLines";
}
