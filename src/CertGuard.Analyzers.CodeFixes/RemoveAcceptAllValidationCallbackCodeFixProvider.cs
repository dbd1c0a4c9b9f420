using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace CertGuard.Analyzers.CodeFixes;

/// <summary>
/// CG1003: removes the assignment of an accept-everything callback, or passes null for it to an SslStream constructor,
/// restoring the platform's validation.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveAcceptAllValidationCallbackCodeFixProvider)), Shared]
public sealed class RemoveAcceptAllValidationCallbackCodeFixProvider : CodeFixProvider
{
    private const string Title = "Remove the callback (use default certificate validation)";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.CertificateValidationDisabled);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => new SkippingFixAllProvider(Edit);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root is not null && (FindRemovable(root, diagnostic) is not null || FindNullableArgument(root, diagnostic) is not null))
            {
                context.RegisterCodeFix(CodeAction.Create(Title, token => ApplyAsync(context.Document, diagnostic, token), equivalenceKey: Title), diagnostic);
            }
        }
    }

    private static async Task<Document> ApplyAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        Edit(editor, diagnostic)?.Invoke();
        return editor.GetChangedDocument();
    }

    private static System.Action? Edit(DocumentEditor editor, Diagnostic diagnostic)
    {
        if (FindNullableArgument(editor.OriginalRoot, diagnostic) is { } argument)
        {
            return () => editor.ReplaceNode(argument.Expression, SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression).WithTriviaFrom(argument.Expression));
        }

        if (FindRemovable(editor.OriginalRoot, diagnostic) is not { } assignment)
        {
            return null;
        }

        switch (assignment.Parent)
        {
            case ExpressionStatementSyntax statement:
                return () => editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);

            // `ws => ws.RemoteCertificateValidationCallback = ...`: the lambda keeps an empty body, not `ws => ;`.
            case LambdaExpressionSyntax lambda when lambda.ExpressionBody == assignment:
                return () => editor.ReplaceNode(lambda, (current, _) => ((LambdaExpressionSyntax)current)
                    .WithExpressionBody(null)
                    .WithBlock(SyntaxFactory.Block())
                    .WithTriviaFrom(current));

            case InitializerExpressionSyntax:
                return () => editor.RemoveNode(assignment, SyntaxRemoveOptions.KeepNoTrivia);

            default:
                return null;
        }
    }

    /// <summary>`new SslStream(stream, false, (s, c, ch, e) => true)`: passing null restores the platform's validation.</summary>
    private static ArgumentSyntax? FindNullableArgument(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(DoNotDisableCertificateValidationAnalyzer.NullableArgumentProperty)
            ? root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<ArgumentSyntax>()
            : null;

    private static AssignmentExpressionSyntax? FindRemovable(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(DoNotDisableCertificateValidationAnalyzer.RemovableAssignmentProperty)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is not { } assignment)
        {
            return null;
        }

        return assignment.Parent is ExpressionStatementSyntax or InitializerExpressionSyntax
               || (assignment.Parent is LambdaExpressionSyntax lambda && lambda.ExpressionBody == assignment)
            ? assignment
            : null;
    }
}
