namespace Lockstep.Index;

/// <summary>
/// A failure of the index itself, as opposed to a bad argument. <see cref="Error"/> says which kind;
/// the message names the database file and, where it matters, the versions or folder involved.
/// </summary>
public sealed class IndexException : Exception
{
    internal IndexException(IndexError error, string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        DatabasePath = path;
    }

    /// <summary>The kind of failure.</summary>
    public IndexError Error { get; }

    /// <summary>The full path of the database file concerned.</summary>
    public string DatabasePath { get; }
}
