using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// Answers "where can this value come from?" for every rule: the expressions that may supply it, followed through
/// conversions, <c>??</c>, <c>?:</c>, switch expressions, locals (initializer and every later assignment), fields and
/// properties (initializers and assignments in their type), property getters, parameter defaults and the returns of
/// methods declared in the same compilation. Each origin is an expression that is none of those: a literal, a lambda,
/// a method group, an invocation of something outside the compilation, ...
/// </summary>
internal static class ValueOrigins
{
    private const int MaxDepth = 5;
    private const int MaxOrigins = 24;

    public static ImmutableArray<IOperation> Find(IOperation? value, Compilation compilation)
    {
        var origins = ImmutableArray.CreateBuilder<IOperation>();
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        Collect(value, compilation, 0, origins, visited);
        return origins.ToImmutable();
    }

    /// <summary>True when every origin is known and satisfies <paramref name="predicate"/>; false when there are none.</summary>
    public static bool All(IOperation? value, Compilation compilation, System.Func<IOperation, bool> predicate)
    {
        var origins = Find(value, compilation);
        if (origins.IsEmpty)
        {
            return false;
        }

        foreach (var origin in origins)
        {
            if (!predicate(origin))
            {
                return false;
            }
        }

        return true;
    }

    private static void Collect(IOperation? value, Compilation compilation, int depth, ImmutableArray<IOperation>.Builder origins, HashSet<ISymbol> visited)
    {
        value = HardCodedString.Unwrap(value);
        if (value is null || origins.Count >= MaxOrigins)
        {
            return;
        }

        if (depth > MaxDepth || value.ConstantValue.HasValue)
        {
            origins.Add(value);
            return;
        }

        switch (value)
        {
            case IDelegateCreationOperation creation:
                Collect(creation.Target, compilation, depth + 1, origins, visited);
                return;

            case ICoalesceOperation coalesce:
                Collect(coalesce.Value, compilation, depth + 1, origins, visited);
                Collect(coalesce.WhenNull, compilation, depth + 1, origins, visited);
                return;

            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                Collect(conditional.WhenTrue, compilation, depth + 1, origins, visited);
                Collect(whenFalse, compilation, depth + 1, origins, visited);
                return;

            case ISwitchExpressionOperation switchExpression:
                foreach (var arm in switchExpression.Arms)
                {
                    Collect(arm.Value, compilation, depth + 1, origins, visited);
                }

                return;

            case ILocalReferenceOperation local when visited.Add(local.Local):
                CollectOrSelf(value, origins, () => CollectWrites(local.Local, FindScope(local.Local), compilation, depth, origins, visited));
                return;

            case IFieldReferenceOperation field when visited.Add(field.Field) && IsInSource(field.Field):
                CollectOrSelf(value, origins, () => CollectMember(field.Field, compilation, depth, origins, visited));
                return;

            case IPropertyReferenceOperation property when visited.Add(property.Property) && IsInSource(property.Property):
                CollectOrSelf(value, origins, () => CollectMember(property.Property, compilation, depth, origins, visited));
                return;

            case IParameterReferenceOperation parameter when parameter.Parameter.HasExplicitDefaultValue && visited.Add(parameter.Parameter):
                // `string path = "server.pfx"`: the default is what a caller that passes nothing gets.
                if (parameter.Parameter.DeclaringSyntaxReferences.Length == 1
                    && parameter.Parameter.DeclaringSyntaxReferences[0].GetSyntax() is ParameterSyntax { Default.Value: { } defaultValue })
                {
                    Collect(SemanticModels.Get(compilation, defaultValue.SyntaxTree).GetOperation(defaultValue), compilation, depth + 1, origins, visited);
                }
                else
                {
                    origins.Add(value);
                }

                return;

            case IInvocationOperation invocation when invocation.Arguments.Length == 0 && (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).DeclaringSyntaxReferences.Length == 1 && visited.Add(invocation.TargetMethod):
                // A small factory: `static Func<...> CreateValidator() => (_, _, _, _) => true;`.
                CollectReturns(invocation.TargetMethod, compilation, depth, origins, visited);
                return;

            default:
                origins.Add(value);
                return;
        }
    }

    /// <summary>A variable whose writes cannot be found (a pattern variable, an out argument) is its own, unknown, origin.</summary>
    private static void CollectOrSelf(IOperation value, ImmutableArray<IOperation>.Builder origins, System.Action collect)
    {
        var before = origins.Count;
        collect();
        if (origins.Count == before)
        {
            origins.Add(value);
        }
    }

    private static bool IsInSource(ISymbol symbol) => symbol.DeclaringSyntaxReferences.Length > 0;

    private static SyntaxNode? FindScope(ILocalSymbol local) =>
        local.DeclaringSyntaxReferences.Length == 1
            ? local.DeclaringSyntaxReferences[0].GetSyntax().FirstAncestorOrSelf<SyntaxNode>(node =>
                node is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax
                    or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax)
            : null;

    private static void CollectMember(ISymbol member, Compilation compilation, int depth, ImmutableArray<IOperation>.Builder origins, HashSet<ISymbol> visited)
    {
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            var model = SemanticModels.Get(compilation, syntax.SyntaxTree);
            switch (syntax)
            {
                case VariableDeclaratorSyntax { Initializer.Value: { } initializer }:
                    Collect(model.GetOperation(initializer), compilation, depth + 1, origins, visited);
                    break;
                // A record's positional property: its default is what `new R(x)` leaves it with.
                case ParameterSyntax { Default.Value: { } defaultValue }:
                    Collect(model.GetOperation(defaultValue), compilation, depth + 1, origins, visited);
                    break;
                case PropertyDeclarationSyntax { Initializer.Value: { } initializer }:
                    Collect(model.GetOperation(initializer), compilation, depth + 1, origins, visited);
                    break;
                case PropertyDeclarationSyntax { ExpressionBody.Expression: { } body }:
                    Collect(model.GetOperation(body), compilation, depth + 1, origins, visited);
                    continue;
                case PropertyDeclarationSyntax { AccessorList: { } accessors }:
                    foreach (var accessor in accessors.Accessors)
                    {
                        if (accessor.Keyword.ValueText == "get" && (accessor.Body ?? (SyntaxNode?)accessor.ExpressionBody) is { } getter)
                        {
                            CollectReturnsOf(model.GetOperation(getter is ArrowExpressionClauseSyntax arrow ? arrow.Expression : getter), compilation, depth, origins, visited);
                        }
                    }

                    break;
            }
        }

        // Writes anywhere in the declaring type: a constructor or a method may install another value.
        if (member.ContainingType is { } type)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                CollectWrites(member, reference.GetSyntax(), compilation, depth, origins, visited);
            }
        }
    }

    private static void CollectReturns(IMethodSymbol method, Compilation compilation, int depth, ImmutableArray<IOperation>.Builder origins, HashSet<ISymbol> visited)
    {
        method = method.ReducedFrom ?? method;
        if (method.DeclaringSyntaxReferences.Length != 1)
        {
            return;
        }

        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        var operation = SemanticModels.Get(compilation, syntax.SyntaxTree).GetOperation(syntax);
        var body = operation switch
        {
            IMethodBodyOperation methodBody => (IOperation?)methodBody.BlockBody ?? methodBody.ExpressionBody,
            ILocalFunctionOperation localFunction => localFunction.Body,
            _ => null,
        };
        CollectReturnsOf(body, compilation, depth, origins, visited);
    }

    private static void CollectReturnsOf(IOperation? body, Compilation compilation, int depth, ImmutableArray<IOperation>.Builder origins, HashSet<ISymbol> visited)
    {
        if (body is null)
        {
            return;
        }

        if (body is not IBlockOperation)
        {
            Collect(body, compilation, depth + 1, origins, visited);
            return;
        }

        foreach (var returned in Descendants(body))
        {
            if (returned is IReturnOperation { ReturnedValue: { } value })
            {
                Collect(value, compilation, depth + 1, origins, visited);
            }
        }
    }

    private static void CollectWrites(ISymbol symbol, SyntaxNode? scope, Compilation compilation, int depth, ImmutableArray<IOperation>.Builder origins, HashSet<ISymbol> visited)
    {
        if (scope is null)
        {
            return;
        }

        var model = SemanticModels.Get(compilation, scope.SyntaxTree);
        var name = symbol.Name;
        foreach (var node in scope.DescendantNodesAndSelf())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator
                    when declarator.Identifier.ValueText == name && symbol is ILocalSymbol
                         && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator), symbol):
                    Collect(model.GetOperation(initializer), compilation, depth + 1, origins, visited);
                    break;
                case AssignmentExpressionSyntax { Left: var left } assignment
                    when NameOf(left) == name
                         && model.GetOperation(assignment) is IAssignmentOperation { Target: var target } write
                         && SymbolEqualityComparer.Default.Equals(SymbolOf(target), symbol):
                    Collect(write is ICompoundAssignmentOperation ? write : write.Value, compilation, depth + 1, origins, visited);
                    break;
            }
        }
    }

    private static string? NameOf(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        _ => null,
    };

    private static ISymbol? SymbolOf(IOperation target) => target switch
    {
        ILocalReferenceOperation local => local.Local,
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    };

    /// <summary>Every operation below <paramref name="root"/>, not entering nested lambdas or local functions.</summary>
    public static IEnumerable<IOperation> Descendants(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            foreach (var child in current.ChildOperations)
            {
                if (child is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    continue;
                }

                yield return child;
                stack.Push(child);
            }
        }
    }
}
