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

    /// <summary>
    /// A delegate that answers "is this certificate acceptable?": it returns bool and receives the errors or the chain,
    /// directly or as members of one argument (MQTT, FTP and mail clients wrap them in event args); or it returns
    /// nothing and answers through the argument's <c>Accept</c> property.
    /// </summary>
    public bool IsValidationCallbackType(ITypeSymbol? type)
    {
        return type is INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke } && IsValidationCallbackSignature(invoke);
    }

    /// <summary>The signature of a validation callback, for a delegate's Invoke or a method written to be one.</summary>
    public bool IsValidationCallbackSignature(IMethodSymbol invoke)
    {
        var returnsBool = invoke.ReturnType.SpecialType == SpecialType.System_Boolean;
        foreach (var parameter in invoke.Parameters)
        {
            if (returnsBool && (IsErrors(parameter.Type) || IsChain(parameter.Type)))
            {
                return true;
            }

            if (parameter.Type is INamedTypeSymbol { TypeKind: TypeKind.Class } argumentType
                && CarriesEvidence(argumentType)
                && (returnsBool || (invoke.ReturnsVoid && AcceptProperty(argumentType) is not null)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A declared method that is written to be a validation callback: the callback signature, and it receives the chain
    /// or an event-args object (a helper that only classifies an SslPolicyErrors value decides nothing).
    /// </summary>
    public bool IsCallbackMethod(IMethodSymbol method)
    {
        if (!IsValidationCallbackSignature(method))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (IsChain(parameter.Type) || (parameter.Type is INamedTypeSymbol { TypeKind: TypeKind.Class } argumentType && CarriesEvidence(argumentType)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The settable bool <c>Accept</c> of an event-args type through which a void callback answers.</summary>
    public static IPropertySymbol? AcceptProperty(ITypeSymbol type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers("Accept"))
            {
                if (member is IPropertySymbol { Type.SpecialType: SpecialType.System_Boolean, SetMethod: not null } property)
                {
                    return property;
                }
            }
        }

        return null;
    }

    private bool CarriesEvidence(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false } property && (IsErrors(property.Type) || IsChain(property.Type)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public bool IsErrors(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, SslPolicyErrors);

    public bool IsChain(ITypeSymbol? type) => X509Chain is not null && SymbolEqualityComparer.Default.Equals(type, X509Chain);

    public bool IsCertificate(ITypeSymbol? type)
    {
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
