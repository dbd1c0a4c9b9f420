using Microsoft.CodeAnalysis;

namespace CertGuard.Analyzers.Internal;

/// <summary>
/// Semantic models for declarations (a method group's body, a field's initializer) that may live in another
/// file than the operation being analyzed. Only reached when a rule already matched a sink, so rarely.
/// </summary>
internal static class SemanticModels
{
    public static SemanticModel Get(Compilation compilation, SyntaxTree tree)
    {
        // The analyzer follows a value to its declaration, which may be in another file; Roslyn caches the
        // model per tree, and this path runs only for values that already reached a certificate sink.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        return compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
    }
}
