using CertGuard.Tests.TestSupport;

namespace CertGuard.Tests.Monitoring;

/// <summary>Alone, so that the process-wide allocation count measures this monitor's refresh and little else.</summary>
[CollectionDefinition(nameof(PublishCostTests), DisableParallelization = true)]
public sealed class PublishCostCollection;

[Collection(nameof(PublishCostTests))]
public sealed class PublishCostTests
{
    [Fact]
    public async Task A_refresh_of_2000_sources_allocates_per_source_about_what_a_refresh_of_250_does()
    {
        // Work, not time: publishing one source's result used to copy every source's state and list every report
        // and error again (O(N) each, O(N²) per refresh). Linear publishing keeps the bytes per source flat in N.
        var small = await BytesPerSourceAsync(250);
        var large = await BytesPerSourceAsync(2000);

        Assert.True(large < small * 2, $"a refresh of 2,000 sources allocated {large:N0} bytes per source, of 250 sources {small:N0}: publishing grows with N");
    }

    [Fact]
    public async Task A_refresh_of_2000_sources_publishes_each_source_once_and_the_snapshot_lists_every_one()
    {
        var sources = Enumerable.Range(0, 2000).Select(i => new CountingSource($"s{i}", certificate: null)).ToList();
        using var monitor = MonitorFactory.Create(MonitorFactory.Clock(), sources);
        var before = monitor.Snapshot.Version;

        var snapshot = await monitor.RefreshAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2000, snapshot.Sources.Count);
        Assert.All(snapshot.Sources, s => Assert.True(s.IsChecked));
        Assert.Equal(sources.Select(s => s.Name), snapshot.Sources.Select(s => s.Source.Name));
        Assert.Equal(2000, snapshot.Errors.Count);
        Assert.Equal(CertGuard.Policy.CertificateStatus.Unhealthy, snapshot.Status);
        Assert.Equal(2000 + 1, snapshot.Version - before); // the membership, then one snapshot per source
    }

    private static async Task<double> BytesPerSourceAsync(int count)
    {
        // Failing sources: their scan costs little, so the publishing is most of what is counted.
        var sources = Enumerable.Range(0, count).Select(i => new CountingSource($"s{i}", certificate: null)).ToList();
        using var monitor = MonitorFactory.Create(MonitorFactory.Clock(), sources);
        await monitor.RefreshAsync().WaitAsync(TimeSpan.FromSeconds(60)); // warm: the membership, first-use caches

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var snapshot = await monitor.RefreshAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(count, snapshot.Errors.Count);
        return (double)allocated / count;
    }
}
