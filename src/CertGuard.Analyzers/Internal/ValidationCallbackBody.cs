using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// The code that runs when a validation callback is invoked, found from the value given to a sink:
/// a lambda, an anonymous method, a method group, or a local or field holding one of those.
/// </summary>
internal sealed class ValidationCallbackBody
{
    private const int MaxDepth = 4;

    private ValidationCallbackBody(IOperation body, ImmutableArray<IParameterSymbol> parameters)
    {
        Body = body;
        Parameters = parameters;
    }

    public IOperation Body { get; }

    public ImmutableArray<IParameterSymbol> Parameters { get; }

    public static ValidationCallbackBody? TryResolve(IOperation value, Compilation compilation) => TryResolve(value, compilation, 0);

    private static ValidationCallbackBody? TryResolve(IOperation? value, Compilation compilation, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        switch (HardCodedString.Unwrap(value))
        {
            case IDelegateCreationOperation creation:
                return TryResolve(creation.Target, compilation, depth + 1);

            case IAnonymousFunctionOperation function:
                return new ValidationCallbackBody(function.Body, function.Symbol.Parameters);

            case IMethodReferenceOperation reference:
                return TryResolveMethod(reference.Method, compilation);

            case ILocalReferenceOperation local:
                return TryResolveInitializer(local.Local, compilation, depth);

            case IFieldReferenceOperation field:
                // A field is judged by its initializer: that is the callback it is declared to hold.
                return TryResolveInitializer(field.Field, compilation, depth);

            default:
                return null;
        }
    }

    private static ValidationCallbackBody? TryResolveMethod(IMethodSymbol method, Compilation compilation)
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
        return body is null ? null : new ValidationCallbackBody(body, method.Parameters);
    }

    private static ValidationCallbackBody? TryResolveInitializer(ISymbol symbol, Compilation compilation, int depth)
    {
        if (symbol.DeclaringSyntaxReferences.Length != 1
            || symbol.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator
            || (symbol is ILocalSymbol && HardCodedString.IsReassigned(declarator)))
        {
            return null;
        }

        var operation = SemanticModels.Get(compilation, initializer.SyntaxTree).GetOperation(initializer);
        return TryResolve(operation, compilation, depth + 1);
    }

    /// <summary>
    /// True when the callback lets every certificate through: every return is always true, or it never looks at
    /// the certificate, the chain or the errors it is given (so its answer cannot depend on them) and can return true.
    /// </summary>
    public bool AcceptsAnyCertificate(ValidationTypes types)
    {
        var returns = new List<IOperation?>();
        CollectReturns(Body, returns);
        if (returns.Count == 0)
        {
            return false;
        }

        var allTrue = true;
        var allFalse = true;
        foreach (var returned in returns)
        {
            allTrue &= BooleanValue.IsAlwaysTrue(returned);
            allFalse &= BooleanValue.IsAlwaysFalse(returned);
        }

        if (allTrue)
        {
            return true;
        }

        return !allFalse && !ReadsEvidence(Body, types);
    }

    private static void CollectReturns(IOperation operation, List<IOperation?> returns)
    {
        foreach (var child in operation.ChildOperations)
        {
            switch (child)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                // `=> throw ...` is a return of a throw expression: it rejects, it never accepts.
                case IReturnOperation returned when HardCodedString.Unwrap(returned.ReturnedValue) is not IThrowOperation:
                    returns.Add(returned.ReturnedValue);
                    break;
            }

            CollectReturns(child, returns);
        }
    }

    private bool ReadsEvidence(IOperation operation, ValidationTypes types)
    {
        foreach (var child in operation.ChildOperations)
        {
            if (child is IParameterReferenceOperation reference
                && Parameters.Contains(reference.Parameter, SymbolEqualityComparer.Default)
                && types.IsEvidenceParameter(reference.Parameter))
            {
                return true;
            }

            if (ReadsEvidence(child, types))
            {
                return true;
            }
        }

        return false;
    }
}
