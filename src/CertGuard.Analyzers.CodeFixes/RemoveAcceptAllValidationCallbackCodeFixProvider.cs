using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace CertGuard.Analyzers.CodeFixes;

/// <summary>CG1003: removes the assignment of an accept-everything callback, restoring the platform's validation.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveAcceptAllValidationCallbackCodeFixProvider)), Shared]
public sealed class RemoveAcceptAllValidationCallbackCodeFixProvider : CodeFixProvider
{
    private const string Title = "Remove the callback (use default certificate validation)";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.CertificateValidationDisabled);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.ContainsKey(DoNotDisableCertificateValidationAnalyzer.RemovableAssignmentProperty)
                || root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is not { } assignment)
            {
                continue;
            }

            SyntaxNode removable = assignment.Parent is ExpressionStatementSyntax statement ? statement : assignment;
            context.RegisterCodeFix(CodeAction.Create(Title, token => RemoveAsync(context.Document, removable, token), equivalenceKey: Title), diagnostic);
        }
    }

    private static async Task<Document> RemoveAsync(Document document, SyntaxNode removable, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.RemoveNode(removable, SyntaxRemoveOptions.KeepNoTrivia);
        return editor.GetChangedDocument();
    }
}
