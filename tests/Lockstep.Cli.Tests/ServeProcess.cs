using System.Collections.Concurrent;
using System.Diagnostics;
using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

/// <summary>
/// A `lockstep serve` child process with its stdout kept line by line as it arrives, so a test can wait for a
/// log event while the node runs. Stops only its own process: SIGTERM by PID, or a kill on dispose if it is
/// still running.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _stdout;
    private readonly Task<string> _stderr;

    private ServeProcess(Process process)
    {
        _process = process;
        _stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
                Lines.Enqueue(line);
        });
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Pid => _process.Id;

    /// <summary>Every stdout line so far (redirected, so JSON lines).</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    public static ServeProcess Start(string home, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null) =>
        RunIn(workingDirectory, ["serve", "--home", home], environment);

    /// <summary>Any long-running lockstep command (demo, say), read the same way.</summary>
    public static ServeProcess Run(params string[] args) => RunIn(null, args);

    private static ServeProcess RunIn(string? workingDirectory, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in new[] { Cli.Dll }.Concat(args))
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("LOCKSTEP_HOME");
        foreach (var chosen in Lockstep.Node.Hosting.OptimizedJit.Settings)
            psi.Environment.Remove(chosen); // the node's own choice, unless a test sets it
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[key] = value;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start lockstep serve");
        process.StandardInput.Close();
        return new ServeProcess(process);
    }

    /// <summary>SIGTERM to this process only, then its exit code once it and its streams have ended.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout, string signal = "TERM")
    {
        var kill = await ProcessRunner.RunAsync("kill", ["-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(kill.ExitCode == 0, kill.ToString());
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await _stdout;
        return _process.ExitCode;
    }

    public Task<string> StderrAsync() => _stderr;

    public override string ToString() => $"pid {Pid} stdout:\n{string.Join('\n', Lines)}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        await _stdout;
        await _stderr;
        _process.Dispose();
    }
}
