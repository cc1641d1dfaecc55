namespace Lockstep.Node.Demo;

/// <summary>
/// The demo's gentle workload: every few seconds one node writes a note, appends to its journal, or (now and
/// then) removes an old note, so there is always something syncing on the dashboard.
/// </summary>
public sealed class DemoWorkload
{
    private readonly IReadOnlyList<DemoNode> _nodes;
    private readonly Random _random;
    private int _round;

    public DemoWorkload(IReadOnlyList<DemoNode> nodes, int? seed = null)
    {
        _nodes = nodes;
        _random = seed is { } s ? new Random(s) : new Random();
    }

    private string WriteNote(DemoNode node)
    {
        var note = $"note-{_round % 20:D2}.txt";
        File.WriteAllText(Path.Combine(node.FolderPath, note), $"written by {node.Name} at {DateTimeOffset.Now:HH:mm:ss.fff}\n");
        return $"{node.Name} wrote {note}";
    }

    /// <summary>One edit; returns what it did, for the console.</summary>
    public string Step()
    {
        var node = _nodes[_random.Next(_nodes.Count)];
        _round++;
        switch (_random.Next(6))
        {
            case 0 or 1 or 2:
                return WriteNote(node);
            case 3 or 4:
                var journal = Path.Combine(node.FolderPath, $"journal-{node.Name}.log");
                File.AppendAllText(journal, $"{DateTimeOffset.Now:O} entry {_round}\n");
                return $"{node.Name} appended to {Path.GetFileName(journal)}";
            default:
                var notes = Directory.GetFiles(node.FolderPath, "note-*.txt");
                if (notes.Length < 5)
                    return WriteNote(node);
                var victim = notes[_random.Next(notes.Length)];
                File.Delete(victim);
                return $"{node.Name} removed {Path.GetFileName(victim)}";
        }
    }
}
