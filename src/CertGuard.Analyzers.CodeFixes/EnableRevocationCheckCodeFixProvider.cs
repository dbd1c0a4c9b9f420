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
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

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
                CodeAction.Create(Title, token => ReplaceAsync(context.Document, value, kind == "Boolean", token), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax value, bool isBoolean, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        ExpressionSyntax replacement = isBoolean
            ? SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression)
            : SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                (ExpressionSyntax)editor.Generator.TypeExpression(editor.SemanticModel.Compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509RevocationMode")!),
                SyntaxFactory.IdentifierName("Online"));
        editor.ReplaceNode(value, replacement.WithTriviaFrom(value).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation));
        return editor.GetChangedDocument();
    }
}
