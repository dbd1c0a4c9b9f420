using System;
using System.Text;
using Microsoft.CodeAnalysis;
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

            case IInvocationOperation { TargetMethod: { Name: "Concat", ContainingType.SpecialType: SpecialType.System_String } } concat:
                return TryGetConcat(concat, compilation, depth, out value);

            // "secret".AsSpan(), "secret".ToCharArray(): the same characters in another shape.
            case IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" or "ToCharArray" } view
                when (view.Instance ?? (view.Arguments.Length > 0 ? view.Arguments[0].Value : null)) is { } source:
                return TryGetValue(source, compilation, depth + 1, out value);

            case ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation
                or ISwitchExpressionOperation or IConditionalOperation or ICoalesceOperation:
                return TryGetFromOrigins(operation, compilation, depth, out value);

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

    /// <summary>Every value the expression can hold (see <see cref="ValueOrigins"/>) is fixed in source; the first is returned.</summary>
    private static bool TryGetFromOrigins(IOperation operation, Compilation compilation, int depth, out string value)
    {
        value = string.Empty;
        var origins = ValueOrigins.Find(operation, compilation);
        if (origins.IsEmpty)
        {
            return false;
        }

        var first = true;
        foreach (var origin in origins)
        {
            // An origin that is the expression itself (a parameter without default, a property of another assembly) is not fixed.
            if (origin == operation || origin is IParameterReferenceOperation or IPropertyReferenceOperation or IFieldReferenceOperation or ILocalReferenceOperation
                || !TryGetValue(origin, compilation, depth + 1, out var originValue))
            {
                return false;
            }

            if (first)
            {
                value = originValue;
                first = false;
            }
        }

        return true;
    }

    private static bool TryGetConcat(IInvocationOperation concat, Compilation compilation, int depth, out string value)
    {
        var builder = new StringBuilder();
        foreach (var argument in concat.Arguments)
        {
            var parts = argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer }
                ? initializer.ElementValues
                : System.Collections.Immutable.ImmutableArray.Create(argument.Value);
            foreach (var part in parts)
            {
                if (!TryGetValue(part, compilation, depth + 1, out var partValue))
                {
                    value = string.Empty;
                    return false;
                }

                builder.Append(partValue);
            }
        }

        value = builder.ToString();
        return true;
    }
}
