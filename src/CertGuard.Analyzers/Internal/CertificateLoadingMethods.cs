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

    private readonly INamedTypeSymbol? _asymmetricAlgorithm;

    private CertificateLoadingMethods(ImmutableHashSet<INamedTypeSymbol> containingTypes, INamedTypeSymbol? file, INamedTypeSymbol? secureString, INamedTypeSymbol? asymmetricAlgorithm)
    {
        _containingTypes = containingTypes;
        File = file;
        SecureString = secureString;
        _asymmetricAlgorithm = asymmetricAlgorithm;
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
            compilation.GetTypeByMetadataName("System.Security.SecureString"),
            compilation.GetTypeByMetadataName("System.Security.Cryptography.AsymmetricAlgorithm"));
    }

    /// <summary>True for a constructor or method of a certificate type or loader (including Kestrel's UseHttps).</summary>
    public bool IsCertificateMethod(IMethodSymbol method)
    {
        var containingType = method.ReducedFrom?.ContainingType ?? method.ContainingType;
        return containingType is not null
               && (_containingTypes.Contains(containingType.OriginalDefinition) || IsEncryptedKeyImport(method, containingType));
    }

    /// <summary>RSA/ECDsa/DSA/... ImportFromEncryptedPem, ImportEncryptedPkcs8PrivateKey and the encrypted exports: the key's password.</summary>
    private bool IsEncryptedKeyImport(IMethodSymbol method, INamedTypeSymbol containingType)
    {
        if (_asymmetricAlgorithm is null || !(method.Name.Contains("Encrypted") && (method.Name.StartsWith("Import", System.StringComparison.Ordinal) || method.Name.StartsWith("Export", System.StringComparison.Ordinal) || method.Name.StartsWith("TryExport", System.StringComparison.Ordinal))))
        {
            return false;
        }

        for (var current = containingType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, _asymmetricAlgorithm))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for a parameter that names a certificate or key file.</summary>
    public static bool IsPathParameter(IParameterSymbol parameter) =>
        parameter.Type.SpecialType == SpecialType.System_String
        && parameter.Name is "fileName" or "filename" or "path" or "certPemFilePath" or "keyPemFilePath";

    /// <summary>True for a parameter that takes the password of a key or PKCS#12 file.</summary>
    public static bool IsPasswordParameter(IParameterSymbol parameter) =>
        parameter.Name is "password" or "passwordBytes";

    /// <summary>True for File.ReadAll*, File.Open* and their async forms, the usual ways a path becomes certificate contents.</summary>
    public bool IsFileRead(IMethodSymbol method) =>
        File is not null
        && SymbolEqualityComparer.Default.Equals(method.ContainingType, File)
        && method.Name is "ReadAllBytes" or "ReadAllText" or "ReadAllLines" or "ReadAllBytesAsync" or "ReadAllTextAsync" or "ReadAllLinesAsync" or "OpenRead" or "Open" or "OpenText";

    /// <summary>A file name with a certificate or key extension.</summary>
    public static bool HasCertificateExtension(string path)
    {
        var dot = path.LastIndexOf('.');
        if (dot < 0)
        {
            return false;
        }

        var extension = path.Substring(dot).ToLowerInvariant();
        return extension is ".pfx" or ".p12" or ".pem" or ".crt" or ".cer" or ".der" or ".p7b" or ".p7c" or ".key";
    }
}
