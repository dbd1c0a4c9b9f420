using Microsoft.Extensions.Logging;

namespace CertGuard.Monitoring;

/// <summary>
/// Tells subscribers when a watched path may have changed. File-system notifications give speed: one watcher per
/// directory, shared by every path in it, on both the link's directory and its target's directory. A fingerprint poll
/// gives certainty, because notifications miss symbolic link swaps and changes on some network file systems.
/// A notification concerns only the subscribers whose paths pass through the changed name (the file itself, a link on
/// the way such as Kubernetes' <c>..data</c>, or the link's target), so a log file written beside the certificates
/// refreshes nothing.
/// </summary>
internal sealed class FileChangeWatcher : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _pollInterval;
    private readonly bool _useNotifications;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DirectoryWatch> _directories = new(StringComparer.Ordinal);
    private readonly List<Subscription> _subscriptions = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _poll;

    public FileChangeWatcher(TimeProvider timeProvider, TimeSpan pollInterval, bool useNotifications, ILogger logger)
    {
        _timeProvider = timeProvider;
        _pollInterval = pollInterval;
        _useNotifications = useNotifications;
        _logger = logger;
    }

    /// <summary>Calls <paramref name="onChange"/> whenever one of <paramref name="paths"/> may have changed.</summary>
    public void Watch(IReadOnlyList<string> paths, bool recursive, Action onChange)
    {
        if (paths.Count == 0)
        {
            return;
        }

        var subscription = new Subscription(paths.Select(Path.GetFullPath).ToArray(), recursive, onChange);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
            if (_useNotifications)
            {
                foreach (var directory in subscription.Directories())
                {
                    AddDirectory(directory, recursive, subscription);
                }
            }

            _poll ??= PollAsync(_stopping.Token);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        lock (_gate)
        {
            foreach (var directory in _directories.Values)
            {
                directory.Watcher.Dispose();
            }

            _directories.Clear();
            _subscriptions.Clear();
        }
    }

    private void AddDirectory(string directory, bool recursive, Subscription subscription)
    {
        if (!_directories.TryGetValue(directory, out var watch))
        {
            if (!Directory.Exists(directory))
            {
                return;
            }

            try
            {
                var watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                    IncludeSubdirectories = recursive,
                };
                watch = new DirectoryWatch(watcher);
                watcher.Changed += (_, e) => OnEvent(watch, e.Name);
                watcher.Created += (_, e) => OnEvent(watch, e.Name);
                watcher.Deleted += (_, e) => OnEvent(watch, e.Name);
                watcher.Renamed += (_, e) =>
                {
                    OnEvent(watch, e.OldName);
                    OnEvent(watch, e.Name);
                };
                watcher.Error += (_, _) => OnEvent(watch, null);
                watcher.EnableRaisingEvents = true;
                _directories.Add(directory, watch);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                // The fingerprint poll still covers the path.
                MonitorLog.WatchFailed(_logger, directory, ex.GetType().Name);
                return;
            }
        }

        watch.Subscribers.Add(subscription);
    }

    private void OnEvent(DirectoryWatch watch, string? name)
    {
        Subscription[] subscribers;
        lock (_gate)
        {
            subscribers = [.. watch.Subscribers];
        }

        // A null name is a lost notification (buffer overflow): anyone here may have changed.
        var changed = name is null ? null : Path.Combine(watch.Watcher.Path, name);
        foreach (var subscription in subscribers)
        {
            if (changed is null || subscription.Recursive || subscription.PassesThrough(changed))
            {
                subscription.Remember();
                subscription.OnChange();
            }
        }
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(_pollInterval, _timeProvider, stopping).ConfigureAwait(false);
                Subscription[] subscriptions;
                lock (_gate)
                {
                    subscriptions = [.. _subscriptions];
                }

                foreach (var subscription in subscriptions)
                {
                    if (subscription.FingerprintChanged())
                    {
                        subscription.OnChange();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private sealed class DirectoryWatch(FileSystemWatcher watcher)
    {
        public FileSystemWatcher Watcher { get; } = watcher;

        public List<Subscription> Subscribers { get; } = [];
    }

    private sealed class Subscription
    {
        private readonly string[] _paths;
        private readonly Lock _fingerprintGate = new();
        private PathFingerprint[] _fingerprints;
        private HashSet<string> _route;

        public Subscription(string[] paths, bool recursive, Action onChange)
        {
            _paths = paths;
            Recursive = recursive;
            OnChange = onChange;
            (_fingerprints, _route) = Measure(paths);
        }

        public bool Recursive { get; }

        public Action OnChange { get; }

        /// <summary>Whether <paramref name="fullPath"/> is one of the paths, a link on the way to one, or a link's target.</summary>
        public bool PassesThrough(string fullPath) => Volatile.Read(ref _route).Contains(fullPath);

        /// <summary>The directories to listen on: each path's own (or the path itself, for a directory) and its resolved target's.</summary>
        public IEnumerable<string> Directories()
        {
            var directories = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in _paths)
            {
                var own = Recursive ? path : Path.GetDirectoryName(path);
                if (own is not null)
                {
                    directories.Add(own);
                }

                var resolved = PathFingerprint.Resolve(path);
                var target = resolved is null ? null : Recursive ? resolved : Path.GetDirectoryName(resolved);
                if (target is not null)
                {
                    directories.Add(target);
                }
            }

            return directories;
        }

        /// <summary>Compares the paths with their last fingerprints; true (once) when one of them changed.</summary>
        public bool FingerprintChanged()
        {
            var (current, route) = Measure(_paths);

            // The poll and a notification may measure at the same moment; only one of them reports the change.
            lock (_fingerprintGate)
            {
                if (current.AsSpan().SequenceEqual(_fingerprints))
                {
                    return false;
                }

                _fingerprints = current;
                Volatile.Write(ref _route, route);
                return true;
            }
        }

        /// <summary>Takes the current state as known, after a notification already reported the change.</summary>
        public void Remember() => FingerprintChanged();

        private static (PathFingerprint[] Fingerprints, HashSet<string> Route) Measure(string[] paths)
        {
            var route = new HashSet<string>(paths, StringComparer.Ordinal);
            var fingerprints = paths.Select(path => PathFingerprint.Of(path, route)).ToArray();
            return (fingerprints, route);
        }
    }
}
