using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// Runs a validation callback's body abstractly, once for each SslPolicyErrors value that matters, with the
/// certificate and chain unknown. A decision that reads real evidence (a thumbprint, the chain, a custom root)
/// makes that path "checked"; a condition that reads none (an option, an allow-list) is tried both ways, unless
/// its value is fixed in source (an option whose default is true). The callback accepts any certificate when
/// every path accepts every error; it accepts chain or name errors when some path accepts them and rejects others.
/// </summary>
internal sealed class CallbackEvaluator
{
    private const int MaxPaths = 32;
    private const int MaxSteps = 2000;
    private const int NameMismatch = 2;
    private const int ChainErrors = 4;
    private const int AllErrors = 7;
    private static readonly int[] ErrorValues = { 0, 1, NameMismatch, ChainErrors, NameMismatch | ChainErrors, AllErrors };
    private static readonly object Checked = new();

    private readonly ValidationCallbackBody _callback;
    private readonly ValidationTypes _types;
    private readonly Compilation _compilation;
    private readonly IPropertySymbol? _acceptProperty;

    private Dictionary<IOperation, bool> _choices = new();
    private Dictionary<ISymbol, object?> _values = new(SymbolEqualityComparer.Default);
    private int _errors;
    private int _steps;
    private IOperation? _fork;
    private bool _readsErrors;
    private bool _usedChoice;

    private enum Outcome
    {
        Accept,
        Reject,
        Checked,
        Fork,
    }

    private CallbackEvaluator(ValidationCallbackBody callback, ValidationTypes types, Compilation compilation)
    {
        _callback = callback;
        _types = types;
        _compilation = compilation;
        foreach (var parameter in callback.Parameters)
        {
            _acceptProperty ??= ValidationTypes.AcceptProperty(parameter.Type);
        }
    }

    public static CallbackVerdict Evaluate(ValidationCallbackBody callback, ValidationTypes types, Compilation compilation) =>
        new CallbackEvaluator(callback, types, compilation).Evaluate();

    private CallbackVerdict Evaluate()
    {
        var pending = new Stack<Dictionary<IOperation, bool>>();
        pending.Push(new Dictionary<IOperation, bool>());
        var paths = new List<(Dictionary<int, Outcome> Outcomes, bool ReadsErrors, bool UsedChoice)>();
        while (pending.Count > 0)
        {
            if (paths.Count + pending.Count > MaxPaths)
            {
                return CallbackVerdict.None;
            }

            _choices = pending.Pop();
            var outcomes = new Dictionary<int, Outcome>();
            var readsErrors = false;
            var usedChoice = false;
            IOperation? fork = null;
            foreach (var errors in ErrorValues)
            {
                var outcome = Run(errors);
                if (outcome == Outcome.Fork)
                {
                    fork = _fork;
                    break;
                }

                outcomes[errors] = outcome;
                readsErrors |= _readsErrors;
                usedChoice |= _usedChoice;
            }

            if (fork is not null)
            {
                pending.Push(new Dictionary<IOperation, bool>(_choices) { [fork] = false });
                pending.Push(new Dictionary<IOperation, bool>(_choices) { [fork] = true });
                continue;
            }

            paths.Add((outcomes, readsErrors, usedChoice));
        }

        // A callback that never reads the errors, the chain or more of the certificate than its presence or names
        // cannot tell a good certificate from a bad one: if it can say yes, it says yes to anyone.
        var readsAnyErrors = false;
        var canAccept = false;
        foreach (var path in paths)
        {
            readsAnyErrors |= path.ReadsErrors;
            canAccept |= path.Outcomes.ContainsValue(Outcome.Accept);
        }

        if (!readsAnyErrors && canAccept && !ReadsEvidence(_callback.Body))
        {
            return CallbackVerdict.AcceptsAnyCertificate;
        }

        var acceptsAny = paths.Count > 0;
        foreach (var path in paths)
        {
            acceptsAny &= AcceptsEveryError(path.Outcomes);
        }

        if (acceptsAny)
        {
            return CallbackVerdict.AcceptsAnyCertificate;
        }

        var verdict = CallbackVerdict.None;
        var unconditional = false;
        foreach (var path in paths)
        {
            // A path that accepts every error is an explicit opt-in switch (AllowUntrusted = true), not a rule about errors.
            if (!path.ReadsErrors || AcceptsEveryError(path.Outcomes))
            {
                continue;
            }

            var found = CallbackVerdict.None;
            if (path.Outcomes[ChainErrors] == Outcome.Accept || path.Outcomes[NameMismatch | ChainErrors] == Outcome.Accept)
            {
                found |= CallbackVerdict.AcceptsChainErrors;
            }

            if (path.Outcomes[NameMismatch] == Outcome.Accept)
            {
                found |= CallbackVerdict.AcceptsNameMismatch;
            }

            verdict |= found;
            unconditional |= found != CallbackVerdict.None && !path.UsedChoice;
        }

        return verdict != CallbackVerdict.None && !unconditional ? verdict | CallbackVerdict.Conditional : verdict;
    }

    private static bool AcceptsEveryError(Dictionary<int, Outcome> outcomes)
    {
        foreach (var outcome in outcomes.Values)
        {
            if (outcome != Outcome.Accept)
            {
                return false;
            }
        }

        return true;
    }

    private Outcome Run(int errors)
    {
        _errors = errors;
        _values = new Dictionary<ISymbol, object?>(SymbolEqualityComparer.Default);
        _steps = 0;
        _fork = null;
        _readsErrors = false;
        _usedChoice = false;
        if (_callback.Body is IBlockOperation block)
        {
            return Execute(block) ?? (_acceptProperty is not null ? Outcome.Reject : Outcome.Checked);
        }

        // An expression-bodied lambda: its value is the answer, or (void) its statement may set Accept.
        var single = _callback.Body;
        return _acceptProperty is not null
            ? Execute(single) ?? Outcome.Reject
            : Answer(Evaluate(single), single);
    }

    private Outcome Answer(object? value, IOperation decided) => value switch
    {
        true => Outcome.Accept,
        false => Outcome.Reject,
        null => Choose(decided) is { } chosen ? (chosen ? Outcome.Accept : Outcome.Reject) : Outcome.Fork,
        _ => Outcome.Checked,
    };

    private bool? Choose(IOperation condition)
    {
        if (_choices.TryGetValue(condition, out var chosen))
        {
            _usedChoice = true;
            return chosen;
        }

        _fork = condition;
        return null;
    }

    /// <summary>Runs statements in order; null means "fell through", anything else ends the path.</summary>
    private Outcome? Execute(IOperation statement)
    {
        if (++_steps > MaxSteps)
        {
            return Outcome.Checked;
        }

        switch (statement)
        {
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    if (Execute(inner) is { } ended)
                    {
                        return ended;
                    }
                }

                return null;

            case IReturnOperation { ReturnedValue: null }:
                return _acceptProperty is not null ? Outcome.Reject : Outcome.Checked;

            case IReturnOperation { ReturnedValue: var returned } when HardCodedString.Unwrap(returned) is IThrowOperation:
                return Outcome.Reject;

            case IReturnOperation returned:
                return Answer(Evaluate(returned.ReturnedValue), returned);

            case IThrowOperation:
            case IExpressionStatementOperation { Operation: IThrowOperation }:
                return Outcome.Reject;

            case IConditionalOperation conditional:
                var condition = Evaluate(conditional.Condition);
                if (condition is null)
                {
                    if (Choose(conditional.Condition) is not { } chosen)
                    {
                        return Outcome.Fork;
                    }

                    condition = chosen;
                }

                if (condition is bool taken)
                {
                    return taken ? Execute(conditional.WhenTrue) : conditional.WhenFalse is { } whenFalse ? Execute(whenFalse) : null;
                }

                return Outcome.Checked;

            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        _values[declarator.Symbol] = declarator.Initializer is { } initializer ? Evaluate(initializer.Value) : null;
                    }
                }

                return null;

            case IExpressionStatementOperation { Operation: var expression }:
                return ExecuteExpression(expression);

            case ITryOperation tryOperation:
                return Execute(tryOperation.Body);

            case IUsingOperation usingOperation:
                return Execute(usingOperation.Body);

            case ILockOperation lockOperation:
                return Execute(lockOperation.Body);

            case ILocalFunctionOperation:
            case IEmptyOperation:
            case ILabeledOperation { Operation: null }:
                return null;

            case ISwitchOperation switchOperation:
                return ExecuteSwitch(switchOperation);

            default:
                // Loops and the rest: one that can answer or throw decides on what it reads; one that only copies
                // or logs the evidence (and then accepts anyway) decides nothing.
                return ContainsAnswer(statement) ? Outcome.Checked : null;
        }
    }

    private Outcome? ExecuteExpression(IOperation expression)
    {
        switch (expression)
        {
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } accept
                when _acceptProperty is not null && SymbolEqualityComparer.Default.Equals(target.Property, _acceptProperty):
                return Answer(Evaluate(accept.Value), accept);

            case IAssignmentOperation assignment when SymbolOf(assignment.Target) is { } written:
                _values[written] = Evaluate(assignment);
                return null;

            default:
                return null;
        }
    }

    private Outcome? ExecuteSwitch(ISwitchOperation switchOperation)
    {
        var value = Evaluate(switchOperation.Value);
        if (value is not int known)
        {
            return ReadsEvidence(switchOperation) || value is null ? Outcome.Checked : null;
        }

        foreach (var section in switchOperation.Cases)
        {
            foreach (var clause in section.Clauses)
            {
                var matches = clause switch
                {
                    IDefaultCaseClauseOperation => true,
                    ISingleValueCaseClauseOperation single => Evaluate(single.Value) is int label && label == known,
                    IPatternCaseClauseOperation { Guard: null } pattern => Matches(pattern.Pattern, known) == true,
                    _ => false,
                };
                if (matches)
                {
                    foreach (var body in section.Body)
                    {
                        if (body is IBranchOperation)
                        {
                            return null;
                        }

                        if (Execute(body) is { } ended)
                        {
                            return ended;
                        }
                    }

                    return null;
                }
            }
        }

        return null;
    }

    private static ISymbol? SymbolOf(IOperation target) => target switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IPropertyReferenceOperation { Instance: IParameterReferenceOperation } property => property.Property,
        _ => null,
    };

    /// <summary>bool or int when the value is known; <see cref="Checked"/> when it depends on real evidence; null when it depends on something else.</summary>
    private object? Evaluate(IOperation? operation)
    {
        operation = HardCodedString.Unwrap(operation);
        if (operation is null)
        {
            return null;
        }

        if (operation.ConstantValue is { HasValue: true, Value: var constant })
        {
            return constant is bool or int ? constant : null;
        }

        if (IsErrorsValue(operation))
        {
            _readsErrors = true;
            return SymbolOf(operation) is { } symbol && _values.TryGetValue(symbol, out var assigned) ? assigned : _errors;
        }

        switch (operation)
        {
            case ILocalReferenceOperation local:
                return _values.TryGetValue(local.Local, out var localValue) ? localValue : null;

            case IBinaryOperation binary:
                return EvaluateBinary(binary);

            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Evaluate(not.Operand) switch { bool b => !b, var other => other };

            case IUnaryOperation { OperatorKind: UnaryOperatorKind.BitwiseNegation } negation:
                return Evaluate(negation.Operand) switch { int i => ~i, var other => other };

            case ICompoundAssignmentOperation compound:
                return Combine(compound.OperatorKind, Evaluate(compound.Target), Evaluate(compound.Value));

            case ISimpleAssignmentOperation simple:
                return Evaluate(simple.Value);

            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return Evaluate(conditional.Condition) switch
                {
                    true => Evaluate(conditional.WhenTrue),
                    false => Evaluate(whenFalse),
                    null => Merge(Evaluate(conditional.WhenTrue), Evaluate(whenFalse)),
                    _ => Checked,
                };

            case IIsPatternOperation isPattern:
                return EvaluatePattern(isPattern.Value, isPattern.Pattern);

            case ISwitchExpressionOperation switchExpression:
                return EvaluateSwitch(switchExpression);

            case IInvocationOperation { TargetMethod.Name: "HasFlag", Arguments.Length: 1 } hasFlag when IsErrorsValue(HardCodedString.Unwrap(hasFlag.Instance)):
                return (Evaluate(hasFlag.Instance), Evaluate(hasFlag.Arguments[0].Value)) switch
                {
                    (int value, int flag) => (value & flag) == flag,
                    _ => null,
                };

            // The peer is this machine: accepting it trusts no one on the network path.
            case IPropertyReferenceOperation { Property.Name: "IsLoopback" }:
                return Checked;

            case IFieldReferenceOperation or IPropertyReferenceOperation when !ReadsEvidence(operation):
                // An option read inside the callback: fixed when every value it can hold is a constant (its default mode).
                return DefaultValue(operation);

            case IInvocationOperation invocation when ReadsEvidenceThroughCall(invocation):
                return Checked;

            default:
                return ReadsEvidence(operation) ? Checked : null;
        }
    }

    private object? DefaultValue(IOperation member)
    {
        object? found = null;
        var origins = ValueOrigins.Find(member, _compilation);
        foreach (var origin in origins)
        {
            if (origin.ConstantValue is not { HasValue: true, Value: bool value } || (found is bool other && other != value))
            {
                return null;
            }

            found = value;
        }

        return found;
    }

    private object? EvaluateBinary(IBinaryOperation binary)
    {
        if (binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr)
        {
            var isAnd = binary.OperatorKind == BinaryOperatorKind.ConditionalAnd;
            var left = Evaluate(binary.LeftOperand);
            if (left is bool l && l != isAnd)
            {
                return l;
            }

            var right = Evaluate(binary.RightOperand);
            if (right is bool r && r != isAnd)
            {
                return r;
            }

            return left is bool && right is bool ? isAnd : Merge(left, right);
        }

        // `certificate != null`, `chain is null`: presence says nothing about trust.
        if (binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
            && (IsNullConstant(binary.LeftOperand) || IsNullConstant(binary.RightOperand)))
        {
            return null;
        }

        return Combine(binary.OperatorKind, Evaluate(binary.LeftOperand), Evaluate(binary.RightOperand));
    }

    private static object? Combine(BinaryOperatorKind kind, object? left, object? right)
    {
        if (left is int l && right is int r)
        {
            return kind switch
            {
                BinaryOperatorKind.Equals => l == r,
                BinaryOperatorKind.NotEquals => l != r,
                BinaryOperatorKind.And => l & r,
                BinaryOperatorKind.Or => l | r,
                BinaryOperatorKind.ExclusiveOr => l ^ r,
                _ => null,
            };
        }

        if (left is bool lb && right is bool rb)
        {
            return kind switch
            {
                BinaryOperatorKind.Equals => lb == rb,
                BinaryOperatorKind.NotEquals => lb != rb,
                BinaryOperatorKind.And => lb & rb,
                BinaryOperatorKind.Or => lb | rb,
                _ => null,
            };
        }

        return Merge(left, right);
    }

    /// <summary>Unknown and checked combined: evidence dominates, because the result then depends on a real check.</summary>
    private static object? Merge(object? left, object? right) =>
        ReferenceEquals(left, Checked) || ReferenceEquals(right, Checked) ? Checked : null;

    private object? EvaluatePattern(IOperation value, IPatternOperation pattern)
    {
        var subject = Evaluate(value);
        if (subject is int known)
        {
            return Matches(pattern, known);
        }

        // `certificate is not null`, `chain is { }`: presence again.
        return pattern is IConstantPatternOperation or INegatedPatternOperation or IRecursivePatternOperation { PropertySubpatterns.Length: 0 } or ITypePatternOperation
            ? null
            : subject;
    }

    private bool? Matches(IPatternOperation pattern, int value) => pattern switch
    {
        IConstantPatternOperation constant => Evaluate(constant.Value) is int expected ? expected == value : null,
        INegatedPatternOperation negated => Matches(negated.Pattern, value) is { } inner ? !inner : null,
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or => (Matches(or.LeftPattern, value), Matches(or.RightPattern, value)) switch
        {
            (true, _) or (_, true) => true,
            (false, false) => false,
            _ => null,
        },
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } and => (Matches(and.LeftPattern, value), Matches(and.RightPattern, value)) switch
        {
            (false, _) or (_, false) => false,
            (true, true) => true,
            _ => null,
        },
        IDiscardPatternOperation => true,
        _ => null,
    };

    private object? EvaluateSwitch(ISwitchExpressionOperation switchExpression)
    {
        var value = Evaluate(switchExpression.Value);
        object? merged = null;
        var first = true;
        foreach (var arm in switchExpression.Arms)
        {
            var armValue = Evaluate(arm.Value);
            if (value is int known && arm.Guard is null && Matches(arm.Pattern, known) is { } matches)
            {
                if (matches)
                {
                    return armValue;
                }

                continue;
            }

            // The subject is not known: the answer is fixed only when every arm gives the same one.
            merged = first ? armValue : Equals(merged, armValue) ? merged : Merge(merged, armValue);
            first = false;
        }

        return ReferenceEquals(merged, Checked) || merged is bool ? merged : ReadsEvidence(switchExpression.Value) ? Checked : merged;
    }

    private static bool IsNullConstant(IOperation operation) =>
        HardCodedString.Unwrap(operation) is { ConstantValue: { HasValue: true, Value: null } };

    private bool IsErrorsValue(IOperation? operation) =>
        operation is IParameterReferenceOperation or ILocalReferenceOperation or IPropertyReferenceOperation { Instance: IParameterReferenceOperation }
        && _types.IsErrors(operation.Type);

    /// <summary>True when the operation reads the certificate or the chain for something more than presence or a name.</summary>
    private bool ReadsEvidence(IOperation operation)
    {
        if (IsStrongEvidence(operation))
        {
            return true;
        }

        foreach (var child in ValueOrigins.Descendants(operation))
        {
            if (IsStrongEvidence(child))
            {
                return true;
            }
        }

        return false;
    }

    private bool ReadsEvidenceThroughCall(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (ReadsEvidence(argument.Value))
            {
                return true;
            }
        }

        return invocation.Instance is { } instance && ReadsEvidence(instance);
    }

    private bool IsStrongEvidence(IOperation operation)
    {
        if (!IsCallbackEvidence(operation))
        {
            return false;
        }

        // A name or a date alone can be written into any certificate by whoever makes it.
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        // `certificate?.Subject`: the member read is the conditional access's WhenNotNull.
        if (parent is IConditionalAccessOperation access && access.Operation == operation)
        {
            parent = access.WhenNotNull;
        }

        return parent switch
        {
            IPropertyReferenceOperation { Property.Name: "Issuer" or "Subject" or "IssuerName" or "SubjectName" or "NotAfter" or "NotBefore" or "FriendlyName" } => false,
            IInvocationOperation { TargetMethod.Name: "GetIssuerName" or "GetName" or "GetNameInfo" or "GetExpirationDateString" or "GetEffectiveDateString" or "ToString" } => false,
            IBinaryOperation binary when IsNullConstant(binary.LeftOperand) || IsNullConstant(binary.RightOperand) => false,
            IIsPatternOperation or IIsTypeOperation => false,
            IArgumentOperation { Parent: IInvocationOperation { Parent: IExpressionStatementOperation } call } when !IsChainBuild(call) => false,
            _ => true,
        };
    }

    private static bool IsChainBuild(IInvocationOperation call) => call.TargetMethod.Name == "Build";

    private bool IsCallbackEvidence(IOperation operation)
    {
        var type = operation.Type;
        if (!_types.IsChain(type) && !_types.IsCertificate(type))
        {
            return false;
        }

        return operation switch
        {
            IParameterReferenceOperation parameter => _callback.Parameters.Contains(parameter.Parameter, SymbolEqualityComparer.Default),
            IPropertyReferenceOperation { Instance: IParameterReferenceOperation owner } => _callback.Parameters.Contains(owner.Parameter, SymbolEqualityComparer.Default),
            ILocalReferenceOperation => true,
            _ => false,
        };
    }

    private bool ContainsAnswer(IOperation statement)
    {
        foreach (var child in ValueOrigins.Descendants(statement))
        {
            if (child is IReturnOperation or IThrowOperation
                || (_acceptProperty is not null && child is IPropertyReferenceOperation property && SymbolEqualityComparer.Default.Equals(property.Property, _acceptProperty)))
            {
                return true;
            }
        }

        return false;
    }
}
