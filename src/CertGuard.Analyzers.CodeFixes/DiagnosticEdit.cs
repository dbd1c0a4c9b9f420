using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;

namespace CertGuard.Analyzers.CodeFixes;

/// <summary>
/// The edit that fixes one diagnostic, or null when that diagnostic has no safe fix (a callback that needs a person).
/// </summary>
/// <param name="editor">The editor of the document the diagnostic is in.</param>
/// <param name="diagnostic">The diagnostic to fix.</param>
internal delegate System.Action? DiagnosticEdit(DocumentEditor editor, Diagnostic diagnostic);
