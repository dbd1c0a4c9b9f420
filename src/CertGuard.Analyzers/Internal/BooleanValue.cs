using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>Recognises boolean expressions whose value is fixed whatever their inputs (<c>x == y || true</c>).</summary>
internal static class BooleanValue
{
    public static bool IsAlwaysTrue(IOperation? operation)
    {
        operation = HardCodedString.Unwrap(operation);
        return operation switch
        {
            null => false,
            { ConstantValue: { HasValue: true, Value: bool constant } } => constant,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or } or => IsAlwaysTrue(or.LeftOperand) || IsAlwaysTrue(or.RightOperand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } and => IsAlwaysTrue(and.LeftOperand) && IsAlwaysTrue(and.RightOperand),
            IConditionalOperation { WhenFalse: { } whenFalse } conditional => IsAlwaysTrue(conditional.WhenTrue) && IsAlwaysTrue(whenFalse),
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not => IsAlwaysFalse(not.Operand),
            _ => false,
        };
    }

    public static bool IsAlwaysFalse(IOperation? operation)
    {
        operation = HardCodedString.Unwrap(operation);
        return operation switch
        {
            null => false,
            { ConstantValue: { HasValue: true, Value: bool constant } } => !constant,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } and => IsAlwaysFalse(and.LeftOperand) || IsAlwaysFalse(and.RightOperand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or } or => IsAlwaysFalse(or.LeftOperand) && IsAlwaysFalse(or.RightOperand),
            IConditionalOperation { WhenFalse: { } whenFalse } conditional => IsAlwaysFalse(conditional.WhenTrue) && IsAlwaysFalse(whenFalse),
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not => IsAlwaysTrue(not.Operand),
            _ => false,
        };
    }
}
