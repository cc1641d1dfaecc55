using System.Runtime.InteropServices;
using System.Text;

namespace Lockstep.Node.Hosting;

/// <summary>
/// A node runs with the JIT's quick first tier off: every method is compiled optimized at its first call, once,
/// instead of quickly first and again when it turns out hot. A node that had settled after its warm-up still
/// recompiled about a thousand methods during bench/run-sync.sh's 10,000-file step (the JIT took 15% of the
/// sending node's CPU there); without the quick tier that step used 10-20% less CPU and ended sooner in 5 of 6
/// interleaved runs. Tiering itself stays on: the framework's hot precompiled (ReadyToRun) methods are still compiled
/// again, once, on the tiering thread. Turning tiering off spared that in the 10,000-file step (7% less CPU on the
/// sending node over eight runs), but the precompiled code it keeps forever moved a 1 GiB file with 15% more CPU and
/// 10% slower (three interleaved runs), and a long-running node pays the recompilation only once. Short CLI commands
/// want the opposite (they start about 0.2 s sooner with the quick tier), and the runtime reads the setting once,
/// before Main, from the environment or the shared runtimeconfig.json. So `lockstep serve` replaces its own process
/// image (same PID, arguments, descriptors and environment) by one started with DOTNET_TC_QuickJit=0, before anything
/// else runs. Whoever already chose a compilation setting (DOTNET_TC_QuickJit or DOTNET_TieredCompilation, or their
/// COMPlus_ forms) keeps it.
/// </summary>
public static partial class OptimizedJit
{
    public const string Variable = "DOTNET_TC_QuickJit";

    /// <summary>Settings that, when present, mean someone chose how this process compiles: it is left alone.</summary>
    public static readonly IReadOnlyList<string> Settings =
        [Variable, "COMPlus_TC_QuickJit", "DOTNET_TieredCompilation", "COMPlus_TieredCompilation"];

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static unsafe partial int Execve(byte* path, byte** argv, byte** envp);

    /// <summary>True when this command line is a node's (`serve`), which is the only one re-executed.</summary>
    public static bool AppliesTo(IReadOnlyList<string> args) => args.Count > 0 && args[0] == "serve";

    /// <summary>
    /// Re-executes the process with the quick tier off when <paramref name="args"/> start a node and nobody chose
    /// the setting; returns only when it does not (or when execve fails, and the node then runs with the default).
    /// </summary>
    public static void ReexecIfNode(string[] args)
    {
        if (!AppliesTo(args) || Settings.Any(v => Environment.GetEnvironmentVariable(v) is not null))
            return;
        byte[] cmdline;
        try
        {
            cmdline = File.ReadAllBytes("/proc/self/cmdline"); // the exact argv, whether run as apphost or by dotnet
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // no /proc: the node runs with the default
        }
        if (cmdline.Length == 0 || cmdline[^1] != 0)
            return;
        var env = new StringBuilder();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env.Append(e.Key).Append('=').Append(e.Value).Append('\0');
        env.Append(Variable).Append("=0\0");
        Exec(cmdline, Encoding.UTF8.GetBytes(env.ToString()));
    }

    /// <summary>execve of /proc/self/exe; both blocks are NUL-terminated strings back to back, as in /proc.</summary>
    private static unsafe void Exec(byte[] argvBlock, byte[] envBlock)
    {
        fixed (byte* path = "/proc/self/exe\0"u8, args = argvBlock, env = envBlock)
        {
            byte** argv = Pointers(args, argvBlock.Length), envp = Pointers(env, envBlock.Length);
            Execve(path, argv, envp); // returns only on failure: the node then starts here, as it is
            NativeMemory.Free(argv);
            NativeMemory.Free(envp);
        }
    }

    /// <summary>A NULL-terminated array of pointers to each string of a block, in native memory.</summary>
    private static unsafe byte** Pointers(byte* block, int length)
    {
        int count = 0;
        for (int i = 0; i < length; i++)
            count += block[i] == 0 ? 1 : 0;
        var pointers = (byte**)NativeMemory.Alloc((nuint)(count + 1), (nuint)sizeof(byte*));
        int n = 0;
        for (int i = 0, start = 0; i < length; i++)
        {
            if (block[i] != 0)
                continue;
            pointers[n++] = block + start;
            start = i + 1;
        }
        pointers[n] = null;
        return pointers;
    }
}
