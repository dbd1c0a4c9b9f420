using Microsoft.CodeAnalysis;

namespace CertGuard.Analyzers.Internal;

/// <summary>The TLS validation types, resolved once per compilation.</summary>
internal sealed class ValidationTypes
{
    private ValidationTypes(Compilation compilation, INamedTypeSymbol sslPolicyErrors)
    {
        SslPolicyErrors = sslPolicyErrors;
        X509Certificate = compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509Certificate");
        X509Chain = compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509Chain");
        HttpClientHandler = compilation.GetTypeByMetadataName("System.Net.Http.HttpClientHandler");
        HttpsConnectionAdapterOptions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions");
    }

    public INamedTypeSymbol SslPolicyErrors { get; }

    public INamedTypeSymbol? X509Certificate { get; }

    public INamedTypeSymbol? X509Chain { get; }

    public INamedTypeSymbol? HttpClientHandler { get; }

    public INamedTypeSymbol? HttpsConnectionAdapterOptions { get; }

    /// <summary>Null when the compilation cannot see SslPolicyErrors: then no code in it can validate TLS.</summary>
    public static ValidationTypes? TryCreate(Compilation compilation) =>
        compilation.GetTypeByMetadataName("System.Net.Security.SslPolicyErrors") is { } sslPolicyErrors
            ? new ValidationTypes(compilation, sslPolicyErrors)
            : null;

    /// <summary>A delegate that answers "is this certificate acceptable?": returns bool and receives SslPolicyErrors.</summary>
    public bool IsValidationCallbackType(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke }
            || invoke.ReturnType.SpecialType != SpecialType.System_Boolean)
        {
            return false;
        }

        foreach (var parameter in invoke.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, SslPolicyErrors))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A parameter that carries evidence about the peer: its certificate, its chain or the platform's verdict.</summary>
    public bool IsEvidenceParameter(IParameterSymbol parameter)
    {
        var type = parameter.Type;
        if (SymbolEqualityComparer.Default.Equals(type, SslPolicyErrors) || SymbolEqualityComparer.Default.Equals(type, X509Chain))
        {
            return true;
        }

        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, X509Certificate))
            {
                return true;
            }
        }

        return false;
    }
}
