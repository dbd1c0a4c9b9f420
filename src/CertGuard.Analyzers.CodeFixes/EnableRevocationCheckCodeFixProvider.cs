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

/// <summary>CG1004: replaces X509RevocationMode.NoCheck with Online, and a false revocation switch with true.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EnableRevocationCheckCodeFixProvider)), Shared]
public sealed class EnableRevocationCheckCodeFixProvider : CodeFixProvider
{
    private const string Title = "Check revocation online";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.RevocationCheckDisabled);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => new SkippingFixAllProvider(Edit);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax value
                || !diagnostic.Properties.TryGetValue(DoNotDisableRevocationCheckAnalyzer.ValueKindProperty, out var kind))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, token => ReplaceAsync(context.Document, diagnostic, token), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        Edit(editor, diagnostic)?.Invoke();
        return editor.GetChangedDocument();
    }

    private static System.Action? Edit(DocumentEditor editor, Diagnostic diagnostic)
    {
        if (editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax value
            || !diagnostic.Properties.TryGetValue(DoNotDisableRevocationCheckAnalyzer.ValueKindProperty, out var kind))
        {
            return null;
        }

        var isBoolean = kind == "Boolean";
        ExpressionSyntax replacement = isBoolean
            ? SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression)
            : SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                (ExpressionSyntax)editor.Generator.TypeExpression(editor.SemanticModel.Compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509RevocationMode")!),
                SyntaxFactory.IdentifierName("Online"));
        return () => editor.ReplaceNode(value, replacement.WithTriviaFrom(value).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation));
    }
}
