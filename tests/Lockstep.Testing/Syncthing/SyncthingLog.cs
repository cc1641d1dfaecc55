using System.Text;

namespace Lockstep.Testing;

/// <summary>
/// Syncthing's stdout and stderr, kept in memory (for failure messages, also after the home is deleted) and in
/// HOME/syncthing.log. Lines the harness adds start with "## harness:".
/// </summary>
internal sealed class SyncthingLog
{
    private readonly StringBuilder _text = new();
    private readonly StreamWriter _file;
    private bool _closed;

    public SyncthingLog(string path)
    {
        Path = path;
        _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public string Path { get; }

    public string Text
    {
        get
        {
            lock (_text)
                return _text.ToString();
        }
    }

    public void Append(string? line)
    {
        if (line is null)
            return;
        lock (_text)
        {
            _text.AppendLine(line);
            if (!_closed)
                _file.WriteLine(line);
        }
    }

    public void Harness(string message) => Append($"## harness: {DateTime.Now:HH:mm:ss.fff} {message}");

    public string Tail(int lines)
    {
        var all = Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public void Close()
    {
        lock (_text)
        {
            if (_closed)
                return;
            _closed = true;
            _file.Dispose();
        }
    }
}
