using System.Runtime.InteropServices;

namespace Lockstep.Node.Hosting;

/// <summary>
/// Caps glibc's malloc at two arenas for the process. By default every thread that calls malloc may get an arena
/// of its own (up to eight per core), and SQLite, OpenSSL and the runtime's native parts all allocate from the
/// thread they run on: with a node's pool threads busy in a pull, each kept a partly used arena resident. In the
/// 10,000-file sync (bench/run-sync.sh, lockstep only, A/B peak RSS averaged over 2-3 runs each, noise about ±4 MB):
/// 144 MB with the default arenas, 138.5 MB with this call, 137 MB with MALLOC_ARENA_MAX=2 set from the start;
/// CPU no higher. Called first thing in Main, so the threads the runtime starts later share the two arenas;
/// MALLOC_ARENA_MAX in the environment, when set, wins.
/// </summary>
public static partial class MallocArenas
{
    private const int MArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h
    public const int Max = 2;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    /// <summary>Applies the cap unless MALLOC_ARENA_MAX is set; true when glibc accepted it (false on another libc).</summary>
    public static bool Limit()
    {
        if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is { Length: > 0 })
            return false;
        try
        {
            return MallOpt(MArenaMax, Max) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // not glibc (musl has no arenas to cap)
        }
    }
}
