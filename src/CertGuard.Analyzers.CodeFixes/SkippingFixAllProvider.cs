using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace CertGuard.Analyzers.CodeFixes;

/// <summary>
/// Fixes every diagnostic in each document that has a safe fix and leaves the others alone. The batch fixer gives up
/// on the whole set (and `dotnet format` reports "didn't return a Fix All action") when some diagnostics have no fix.
/// </summary>
internal sealed class SkippingFixAllProvider : DocumentBasedFixAllProvider
{
    private readonly DiagnosticEdit _edit;

    public SkippingFixAllProvider(DiagnosticEdit edit) => _edit = edit;

    /// <inheritdoc />
    protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var editor = await DocumentEditor.CreateAsync(document, fixAllContext.CancellationToken).ConfigureAwait(false);
        var changed = false;

        // Edits are computed against the original tree first and applied after, so one fix cannot hide another's node.
        var edits = ImmutableArray.CreateBuilder<System.Action>();
        foreach (var diagnostic in diagnostics)
        {
            if (_edit(editor, diagnostic) is { } edit)
            {
                edits.Add(edit);
            }
        }

        foreach (var edit in edits)
        {
            edit();
            changed = true;
        }

        return changed ? editor.GetChangedDocument() : document;
    }
}
