namespace CertGuard.PackageTests;

/// <summary>The test classes that share one packing of the packages (packing takes minutes).</summary>
[CollectionDefinition(Name)]
public sealed class PackedCollection : ICollectionFixture<PackedCertGuard>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "packed packages";
}
