using Microsoft.Extensions.Time.Testing;

namespace CertGuard.Tests.TestSupport;

/// <summary>Waits for background work without timing asserts: the timeout is only a hang guard.</summary>
internal static class Eventually
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    public static async Task TrueAsync(Func<bool> condition, string because, FakeTimeProvider? clock = null, TimeSpan? step = null)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting: {because}");
            }

            clock?.Advance(step ?? TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }
    }
}
