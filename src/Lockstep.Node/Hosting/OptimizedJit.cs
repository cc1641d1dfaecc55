using System.Runtime.InteropServices;
using System.Text;

namespace Lockstep.Node.Hosting;

/// <summary>
/// A node runs with the JIT's quick first tier off: every method is compiled optimized at its first call, once,
/// instead of quickly first and again when it turns out hot. A node that had settled after its warm-up still
/// recompiled about a thousand methods during bench/run-sync.sh's 10,000-file step (the JIT took 15% of the
/// sending node's CPU there); without the quick tier that step used 10-20% less CPU and ended sooner in 5 of 6
/// interleaved runs. Short CLI commands want the opposite (they start about 0.2 s sooner with the quick tier),
/// and the runtime reads the setting once, before Main, from the environment or the shared runtimeconfig.json.
/// So `lockstep serve` replaces its own process image (same PID, arguments, descriptors and environment) by one
/// started with DOTNET_TC_QuickJit=0, before anything else runs. An explicit DOTNET_TC_QuickJit is respected.
/// </summary>
public static partial class OptimizedJit
{
    public const string Variable = "DOTNET_TC_QuickJit";

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
        if (!AppliesTo(args) || Environment.GetEnvironmentVariable(Variable) is not null
            || Environment.GetEnvironmentVariable("COMPlus_TC_QuickJit") is not null)
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
        var argv = Split(cmdline);
        if (argv.Count == 0)
            return;
        var env = new List<byte[]>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env.Add(Encoding.UTF8.GetBytes($"{e.Key}={e.Value}\0"));
        env.Add(Encoding.UTF8.GetBytes($"{Variable}=0\0"));
        Exec("/proc/self/exe"u8, argv, env);
    }

    private static List<byte[]> Split(byte[] cmdline)
    {
        var parts = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < cmdline.Length; i++)
        {
            if (cmdline[i] != 0)
                continue;
            parts.Add(cmdline[start..(i + 1)]); // with its terminating NUL
            start = i + 1;
        }
        return parts;
    }

    private static unsafe void Exec(ReadOnlySpan<byte> path, List<byte[]> argv, List<byte[]> env)
    {
        var handles = new List<GCHandle>();
        try
        {
            byte** args = stackalloc byte*[argv.Count + 1];
            byte** envp = stackalloc byte*[env.Count + 1];
            for (int i = 0; i < argv.Count; i++)
                args[i] = Pin(argv[i]);
            args[argv.Count] = null;
            for (int i = 0; i < env.Count; i++)
                envp[i] = Pin(env[i]);
            envp[env.Count] = null;
            Span<byte> p = stackalloc byte[path.Length + 1];
            path.CopyTo(p);
            p[^1] = 0;
            fixed (byte* file = p)
                Execve(file, args, envp); // returns only on failure: the node then starts here, as it is
        }
        finally
        {
            foreach (var h in handles)
                h.Free();
        }

        byte* Pin(byte[] bytes)
        {
            var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
            handles.Add(handle);
            return (byte*)handle.AddrOfPinnedObject();
        }
    }
}
