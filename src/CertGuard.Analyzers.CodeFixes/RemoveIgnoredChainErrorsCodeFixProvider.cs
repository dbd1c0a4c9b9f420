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
using Microsoft.CodeAnalysis.Simplification;

namespace CertGuard.Analyzers.CodeFixes;

/// <summary>
/// CG1005: sets X509VerificationFlags to NoFlag (for <c>=</c>), or removes the statement that adds flags (for <c>|=</c>),
/// so the chain reports every error again.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveIgnoredChainErrorsCodeFixProvider)), Shared]
public sealed class RemoveIgnoredChainErrorsCodeFixProvider : CodeFixProvider
{
    private const string Title = "Stop ignoring chain errors (X509VerificationFlags.NoFlag)";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.ChainErrorsIgnored);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => new SkippingFixAllProvider(Edit);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            // Only the policy flags have one safe rewrite; a callback that accepts chain errors needs a person.
            if (root is not null && Find(root, diagnostic) is not null)
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
        if (Find(editor.OriginalRoot, diagnostic) is not { } value)
        {
            return null;
        }

        // `flags |= X`: dropping the statement leaves the flags as they were, which is the safe value.
        if (value.Parent is AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax statement } assignment
            && assignment.IsKind(SyntaxKind.OrAssignmentExpression))
        {
            return () => editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
        }

        if (value.Parent is not AssignmentExpressionSyntax simple || !simple.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            return null;
        }

        var flagsType = editor.SemanticModel.Compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509VerificationFlags");
        if (flagsType is null)
        {
            return null;
        }

        var replacement = SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            (ExpressionSyntax)editor.Generator.TypeExpression(flagsType),
            SyntaxFactory.IdentifierName("NoFlag"));
        return () => editor.ReplaceNode(value, replacement.WithTriviaFrom(value).WithAdditionalAnnotations(Simplifier.Annotation));
    }

    private static ExpressionSyntax? Find(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(DoNotIgnoreCertificateChainErrorsAnalyzer.VerificationFlagsProperty)
        && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ExpressionSyntax value
        && value.Parent is AssignmentExpressionSyntax { Right: var right } && right == value
            ? value
            : null;
}
