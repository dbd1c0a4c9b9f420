using Microsoft.Extensions.Logging;

namespace CertGuard.AspNetCore.Reload;

/// <summary>
/// File system watchers on a changing set of directories, each reporting any change at all: a rename of a
/// directory link (a Kubernetes secret update), a new link (certbot), or a write in place.
/// </summary>
internal sealed class DirectoryWatchers : IDisposable
{
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly Action _changed;
    private readonly ILogger _logger;
    private readonly TimeSpan _fallbackInterval;
    private bool _disposed;

    public DirectoryWatchers(Action changed, ILogger logger, TimeSpan fallbackInterval)
    {
        _changed = changed;
        _logger = logger;
        _fallbackInterval = fallbackInterval;
    }

    /// <summary>Watches exactly these directories from now on.</summary>
    public void Watch(IEnumerable<string> directories)
    {
        var wanted = directories.Where(Directory.Exists).ToHashSet(StringComparer.Ordinal);
        lock (_watchers)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var gone in _watchers.Keys.Where(d => !wanted.Contains(d)).ToList())
            {
                _watchers[gone].Dispose();
                _watchers.Remove(gone);
            }

            foreach (var directory in wanted.Where(d => !_watchers.ContainsKey(d)))
            {
                try
                {
                    var watcher = new FileSystemWatcher(directory)
                    {
                        IncludeSubdirectories = false,
                        NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                    };
                    watcher.Changed += (_, _) => _changed();
                    watcher.Created += (_, _) => _changed();
                    watcher.Deleted += (_, _) => _changed();
                    watcher.Renamed += (_, _) => _changed();

                    // Events were lost (an overflow) or the directory went away: look at the files again.
                    watcher.Error += (_, _) => _changed();
                    watcher.EnableRaisingEvents = true;
                    _watchers.Add(directory, watcher);
                }
                catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
                {
                    ReloadLog.WatchFailed(_logger, directory, ex.GetType().Name, _fallbackInterval);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_watchers)
        {
            _disposed = true;
            foreach (var watcher in _watchers.Values)
            {
                watcher.Dispose();
            }

            _watchers.Clear();
        }
    }
}
