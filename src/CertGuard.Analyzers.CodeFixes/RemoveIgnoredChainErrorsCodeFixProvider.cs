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

/// <summary>CG1005: sets X509VerificationFlags to NoFlag, so the chain reports every error again.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveIgnoredChainErrorsCodeFixProvider)), Shared]
public sealed class RemoveIgnoredChainErrorsCodeFixProvider : CodeFixProvider
{
    private const string Title = "Stop ignoring chain errors (X509VerificationFlags.NoFlag)";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.ChainErrorsIgnored);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            // Only the policy flags have one safe rewrite; a callback that accepts chain errors needs a person.
            if (!diagnostic.Properties.ContainsKey(DoNotIgnoreCertificateChainErrorsAnalyzer.VerificationFlagsProperty)
                || root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax value)
            {
                continue;
            }

            context.RegisterCodeFix(CodeAction.Create(Title, token => ReplaceAsync(context.Document, value, token), equivalenceKey: Title), diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var flagsType = editor.SemanticModel.Compilation.GetTypeByMetadataName("System.Security.Cryptography.X509Certificates.X509VerificationFlags")!;
        var replacement = SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            (ExpressionSyntax)editor.Generator.TypeExpression(flagsType),
            SyntaxFactory.IdentifierName("NoFlag"));
        editor.ReplaceNode(value, replacement.WithTriviaFrom(value).WithAdditionalAnnotations(Simplifier.Annotation));
        return editor.GetChangedDocument();
    }
}
