namespace CertGuard.Inspection.Revocation;

/// <summary>
/// A bounded, least-recently-used cache of OCSP answers and CRLs, each with the moment until which it is fresh.
/// Entries past that moment stay until evicted: a stale CRL is still worth reading when no fresh one can be had.
/// </summary>
internal sealed class RevocationCache
{
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _lock = new();

    public RevocationCache(int capacity)
    {
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet<T>(string key, out T value, out DateTimeOffset freshUntil)
        where T : class
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.Value is T found)
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                value = found;
                freshUntil = node.Value.FreshUntil;
                return true;
            }
        }

        value = null!;
        freshUntil = default;
        return false;
    }

    public void Set(string key, object value, DateTimeOffset freshUntil)
    {
        if (_capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.Remove(key, out var existing))
            {
                _recency.Remove(existing);
            }

            _entries[key] = _recency.AddFirst(new Entry(key, value, freshUntil));
            while (_entries.Count > _capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
        }
    }

    private sealed record Entry(string Key, object Value, DateTimeOffset FreshUntil);
}
