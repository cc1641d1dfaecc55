namespace Lockstep.Index.Storage;

/// <summary>
/// Puts SQLite in multi-thread mode before its first use. The bundled library is built serialized: every call on
/// a connection or statement (each column of each row read) takes and releases that connection's mutex. The index
/// never shares a connection between threads at once — the writer is used under the store's write lock, and a read
/// session belongs to one enumeration at a time (<see cref="ReadSessions"/>) — so those mutexes guard nothing here.
/// </summary>
internal static class SqliteThreading
{
    private const int SqliteConfigMultithread = 2;

    /// <summary>SQLite's answer to the switch: 0 when it took effect, else its error code (SQLite was already in use).</summary>
    public static int Result { get; } = Configure();

    /// <summary>
    /// As this assembly loads: anything in the process that opens a database directly (a tool, a test looking
    /// behind the index) would otherwise initialise SQLite first and keep it serialized for every index after it.
    /// </summary>
#pragma warning disable CA2255 // a library's module initializer: here the point is to run before any code of the process uses SQLite
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Initialize() => _ = Result;
#pragma warning restore CA2255

    private static int Configure()
    {
        SQLitePCL.Batteries_V2.Init(); // the provider first; Microsoft.Data.Sqlite does the same, again harmlessly
        // SQLITE_MISUSE once SQLite is initialized (something opened a database first): serialized mode stays, only slower.
        return SQLitePCL.raw.sqlite3_config(SqliteConfigMultithread);
    }
}
