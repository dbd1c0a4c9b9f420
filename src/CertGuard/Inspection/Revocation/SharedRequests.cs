using System.Collections.Concurrent;

namespace CertGuard.Inspection.Revocation;

/// <summary>
/// Runs one request per key at a time: concurrent callers asking for the same URL share the request already under
/// way, so a monitor checking many certificates of one issuer does not download the same CRL many times over.
/// </summary>
/// <typeparam name="T">The request's result.</typeparam>
internal sealed class SharedRequests<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _running = new(StringComparer.Ordinal);

    /// <summary>The request under way for the key, or a new one started with <paramref name="start"/>.</summary>
    public Task<T> RunAsync(string key, Func<Task<T>> start)
    {
        while (true)
        {
            if (_running.TryGetValue(key, out var existing))
            {
                return existing.Value;
            }

            var request = new Lazy<Task<T>>(() => Task.Run(start), LazyThreadSafetyMode.ExecutionAndPublication);
            if (_running.TryAdd(key, request))
            {
                var task = request.Value;
                _ = task.ContinueWith(
                    _ => _running.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(key, request)),
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                return task;
            }
        }
    }
}
