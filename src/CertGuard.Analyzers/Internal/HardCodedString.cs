using System;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// Decides whether a string value is written into the source: a literal, a constant, an interpolation or
/// concatenation of such, Path.Combine/Path.Join of such, or a local or read-only field initialised from one
/// and never reassigned. Anything read at run time (configuration, environment, options) is not.
/// </summary>
internal static class HardCodedString
{
    private const int MaxDepth = 6;

    /// <summary>True when <paramref name="operation"/> evaluates to a string fixed in source; <paramref name="value"/> is that string.</summary>
    public static bool TryGetValue(IOperation? operation, Compilation compilation, out string value) =>
        TryGetValue(operation, compilation, 0, out value);

    private static bool TryGetValue(IOperation? operation, Compilation compilation, int depth, out string value)
    {
        value = string.Empty;
        operation = Unwrap(operation);
        if (operation is null || depth > MaxDepth)
        {
            return false;
        }

        if (operation.ConstantValue.HasValue)
        {
            if (operation.ConstantValue.Value is string constant)
            {
                value = constant;
                return true;
            }

            return false;
        }

        switch (operation)
        {
            case IInterpolatedStringOperation interpolated:
                return TryGetInterpolated(interpolated, compilation, depth, out value);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary
                when binary.Type?.SpecialType == SpecialType.System_String:
                if (TryGetValue(binary.LeftOperand, compilation, depth + 1, out var left)
                    && TryGetValue(binary.RightOperand, compilation, depth + 1, out var right))
                {
                    value = left + right;
                    return true;
                }

                return false;

            case IInvocationOperation invocation when IsPathCombine(invocation.TargetMethod):
                return TryGetPathCombine(invocation, compilation, depth, out value);

            case ILocalReferenceOperation localReference:
                return TryGetInitializer(localReference.Local, compilation, depth, out value);

            case IFieldReferenceOperation { Field.IsReadOnly: true } fieldReference:
                return TryGetInitializer(fieldReference.Field, compilation, depth, out value);

            default:
                return false;
        }
    }

    /// <summary>Strips implicit conversions (string to span, to object) and parentheses.</summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static bool TryGetInterpolated(IInterpolatedStringOperation interpolated, Compilation compilation, int depth, out string value)
    {
        var builder = new StringBuilder();
        foreach (var part in interpolated.Parts)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation text when text.Text.ConstantValue.Value is string literal:
                    builder.Append(literal);
                    break;
                case IInterpolationOperation { Alignment: null, FormatString: null } hole
                    when TryGetValue(hole.Expression, compilation, depth + 1, out var holeValue):
                    builder.Append(holeValue);
                    break;
                default:
                    value = string.Empty;
                    return false;
            }
        }

        value = builder.ToString();
        return true;
    }

    private static bool IsPathCombine(IMethodSymbol method) =>
        method.Name is "Combine" or "Join"
        && method.ContainingType is { Name: "Path", ContainingNamespace: { Name: "IO", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static bool TryGetPathCombine(IInvocationOperation invocation, Compilation compilation, int depth, out string value)
    {
        var builder = new StringBuilder();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation array)
            {
                if (array.Initializer is null)
                {
                    value = string.Empty;
                    return false;
                }

                foreach (var element in array.Initializer.ElementValues)
                {
                    if (!Append(element))
                    {
                        value = string.Empty;
                        return false;
                    }
                }
            }
            else if (!Append(argument.Value))
            {
                value = string.Empty;
                return false;
            }
        }

        value = builder.ToString();
        return true;

        bool Append(IOperation part)
        {
            if (!TryGetValue(part, compilation, depth + 1, out var partValue))
            {
                return false;
            }

            // Path.Combine restarts at a rooted part; Join does not, but for a prefix check both read the same.
            if (partValue.StartsWith("/", StringComparison.Ordinal) || (partValue.Length > 1 && partValue[1] == ':'))
            {
                builder.Clear();
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '/' && builder[builder.Length - 1] != '\\')
            {
                builder.Append('/');
            }

            builder.Append(partValue);
            return true;
        }
    }

    private static bool TryGetInitializer(ISymbol symbol, Compilation compilation, int depth, out string value)
    {
        value = string.Empty;
        if (symbol.DeclaringSyntaxReferences.Length != 1
            || symbol.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator)
        {
            return false;
        }

        if (symbol is ILocalSymbol && IsReassigned(declarator))
        {
            return false;
        }

        var initializerOperation = SemanticModels.Get(compilation, initializer.SyntaxTree).GetOperation(initializer);
        return TryGetValue(initializerOperation, compilation, depth + 1, out value);
    }

    /// <summary>The initializer of a local that is never written again, or null.</summary>
    public static IOperation? GetSingleAssignmentInitializer(ILocalSymbol local, Compilation compilation)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator
            || IsReassigned(declarator))
        {
            return null;
        }

        return SemanticModels.Get(compilation, initializer.SyntaxTree).GetOperation(initializer);
    }

    /// <summary>A local written again (assignment, ref or out) after its declaration is not trusted to hold its initial value.</summary>
    public static bool IsReassigned(VariableDeclaratorSyntax declarator)
    {
        var name = declarator.Identifier.ValueText;
        var scope = declarator.FirstAncestorOrSelf<SyntaxNode>(node =>
            node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax
                or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax);
        if (scope is null)
        {
            return true;
        }

        foreach (var node in scope.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax assigned } && assigned.Identifier.ValueText == name)
            {
                return true;
            }

            if (node is ArgumentSyntax { Expression: IdentifierNameSyntax passed } argument
                && (argument.RefKindKeyword.IsKind(SyntaxKind.RefKeyword) || argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword))
                && passed.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }
}
