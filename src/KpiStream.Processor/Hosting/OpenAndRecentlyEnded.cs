using System.Collections.Concurrent;

namespace KpiStream.Processor.Hosting;

/// <summary>
/// What the live view lists of things that open and end (alerts, incidents): every open one by its id, and the last few
/// that ended, newest first. Written from stream threads, read by the view.
/// </summary>
internal sealed class OpenAndRecentlyEnded<T>(int endedKept)
{
    private readonly ConcurrentDictionary<string, T> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<T> _ended = new();

    public IEnumerable<T> Open => _open.Values;

    public IEnumerable<T> RecentlyEnded => _ended.Reverse();

    public void Update(string id, T value, bool open)
    {
        if (open)
        {
            _open[id] = value;
            return;
        }

        _open.TryRemove(id, out _);
        _ended.Enqueue(value);
        while (_ended.Count > endedKept)
        {
            _ended.TryDequeue(out _);
        }
    }
}
