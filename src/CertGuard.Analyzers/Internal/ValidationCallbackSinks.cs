using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// The places where a validation callback is installed: an assignment or <c>+=</c> to a property, field or event of
/// a callback type, or an argument of such a type. Each value given there is followed to its origins and every
/// origin that is a lambda or a method group is handed to the rule.
/// </summary>
internal static class ValidationCallbackSinks
{
    /// <summary>Judges one callback installed at a sink; returns true when it reported, so one sink gets one diagnostic.</summary>
    public delegate bool OnCallback(OperationAnalysisContext context, IOperation installedValue, ValidationCallbackBody callback, IOperation origin);

    public static void Register(CompilationStartAnalysisContext start, ValidationTypes types, OnCallback onCallback)
    {
        start.RegisterOperationAction(c => AnalyzeAssignment(c, types, onCallback), OperationKind.SimpleAssignment, OperationKind.CompoundAssignment, OperationKind.EventAssignment);
        start.RegisterOperationAction(c => AnalyzeArgument(c, types, onCallback), OperationKind.Argument);
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, ValidationTypes types, OnCallback onCallback)
    {
        IOperation value;
        ITypeSymbol? targetType;
        switch (context.Operation)
        {
            // `-=` removes a callback: only `=` and `+=` install one.
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add }
                when context.Operation is IAssignmentOperation { Target: IPropertyReferenceOperation or IFieldReferenceOperation } assignment:
                value = assignment.Value;
                targetType = assignment.Target.Type;
                break;
            case IEventAssignmentOperation { Adds: true } eventAssignment:
                value = eventAssignment.HandlerValue;
                targetType = eventAssignment.EventReference.Type;
                break;
            default:
                return;
        }

        if (types.IsValidationCallbackType(targetType))
        {
            Resolve(context, value, onCallback);
        }
    }

    private static void AnalyzeArgument(OperationAnalysisContext context, ValidationTypes types, OnCallback onCallback)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.ArgumentKind != ArgumentKind.DefaultValue
            && argument.Parameter is { } parameter
            && types.IsValidationCallbackType(parameter.Type))
        {
            Resolve(context, argument.Value, onCallback);
        }
    }

    private static void Resolve(OperationAnalysisContext context, IOperation value, OnCallback onCallback)
    {
        foreach (var origin in ValueOrigins.Find(value, context.Compilation))
        {
            if (ValidationCallbackBody.FromOrigin(origin, context.Compilation) is { } callback
                && onCallback(context, value, callback, origin))
            {
                return;
            }
        }
    }
}
