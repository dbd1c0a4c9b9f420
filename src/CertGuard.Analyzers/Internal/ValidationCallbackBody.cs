using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// The code that runs when a validation callback is invoked, found from one origin of the value given to a sink
/// (see <see cref="ValueOrigins"/>): a lambda, an anonymous method or a method group.
/// </summary>
internal sealed class ValidationCallbackBody
{
    private ValidationCallbackBody(IOperation body, ImmutableArray<IParameterSymbol> parameters, IMethodSymbol? method)
    {
        Body = body;
        Parameters = parameters;
        Method = method;
    }

    public IOperation Body { get; }

    public ImmutableArray<IParameterSymbol> Parameters { get; }

    /// <summary>The declared method or local function, when the callback is a method group rather than a lambda.</summary>
    public IMethodSymbol? Method { get; }

    public static ValidationCallbackBody? FromOrigin(IOperation origin, Compilation compilation) => origin switch
    {
        IAnonymousFunctionOperation function => new ValidationCallbackBody(function.Body, function.Symbol.Parameters, null),
        IMethodReferenceOperation reference => FromMethod(reference.Method, compilation),
        _ => null,
    };

    public static ValidationCallbackBody? FromMethod(IMethodSymbol method, Compilation compilation)
    {
        method = method.ReducedFrom ?? method;
        if (method.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        var operation = SemanticModels.Get(compilation, syntax.SyntaxTree).GetOperation(syntax);
        IOperation? body = operation switch
        {
            IMethodBodyOperation methodBody => (IOperation?)methodBody.BlockBody ?? methodBody.ExpressionBody,
            ILocalFunctionOperation localFunction => localFunction.Body,
            _ => null,
        };
        return body is null ? null : new ValidationCallbackBody(body, method.Parameters, method);
    }
}
