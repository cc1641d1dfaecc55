// Lockstep benchmarks: the in-process half. The bench/*.sh scripts build this app, generate the trees, run
// the references (openssl, sha256sum, Syncthing) and print the side-by-side tables; see bench/README.md.
//
//   scan          --dir D [--runs 3] [--parallelism P]      initial scan into a fresh index, per run
//   rescan        --dir D [--runs 5] [--parallelism P]      full rescans of an unchanged, already indexed tree
//   watch-latency --dir D [--edits 200] [--delay-ms 50] [--timeout-ms 5000]
//                                                            write -> LocalIndexUpdated latency, watcher on
//   hash-speed    [--seconds 3] [--block-kib 1024]          .NET SHA256.HashData over in-memory blocks, 1 core and all
//   free-port     [--count 1]                               free TCP ports on 127.0.0.1 (for the scripts)
//   bep-throughput [--mib 1024] [--runs 3] [--setups 50] [--dir D]
//                                                            loopback MB/s of raw TCP, TLS 1.3 and BEP block
//                                                            exchange side by side, and setup ms (BlockThroughput.cs)
//   sync-pair     --src A --dst B [--pids P,Q] [--ports L,M] ...
//                                                            drives a running pair of sync nodes through their folders:
//                                                            small files, a big file, a patch, edits (PairSync.cs)
//   disk-write    --dir D --bytes N                         write + fsync MB/s of one file (PairSync.cs)
//
// Every subcommand prints human-readable lines and one final machine-readable "RESULT key=value ..." line
// (invariant culture) that the scripts parse. Units: MB = 10^6 bytes, times in seconds unless suffixed _ms.

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Lockstep.Bench;
using Lockstep.Index;
using Lockstep.Protocol.Identity;
using Lockstep.Sync.Folders;
using BepFileInfo = Lockstep.Protocol.Messages.FileInfo;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
    {
        Console.Error.WriteLine(Usage.Text);
        return args.Length == 0 ? 2 : 0;
    }
    if (args[0] == "bep-throughput")
        return await BlockThroughput.RunAsync(args[1..]); // own options: see BlockThroughput.cs
    if (args[0] == "sync-pair")
        return await PairSync.RunAsync(args[1..]); // own options: see PairSync.cs
    if (args[0] == "disk-write")
        return DiskWrite.Run(args[1..]);
    var options = BenchOptions.Parse(args.Skip(1).ToArray());
    return args[0] switch
    {
        "scan" => await Benchmarks.ScanAsync(options),
        "rescan" => await Benchmarks.RescanAsync(options),
        "watch-latency" => await Benchmarks.WatchLatencyAsync(options),
        "hash-speed" => Benchmarks.HashSpeed(options),
        "free-port" => Benchmarks.FreePorts(options),
        _ => throw new UsageException($"unknown subcommand '{args[0]}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(Usage.Text);
    return 2;
}

namespace Lockstep.Bench
{
    internal static class Usage
    {
        public const string Text = """
            usage: Lockstep.Bench <subcommand> [options]
              scan          --dir D [--runs 3] [--parallelism P] [--index-dir T]
              rescan        --dir D [--runs 5] [--parallelism P] [--index-dir T]
              watch-latency --dir D [--edits 200] [--delay-ms 50] [--timeout-ms 5000] [--index-dir T]
              hash-speed    [--seconds 3] [--block-kib 1024]
              free-port     [--count 1]
              bep-throughput [--mib 1024] [--runs 3] [--setups 50] [--in-flight 256] [--dir D] [--index-dir T]
              sync-pair     --src A --dst B [--pids P,Q] [--ports L,M] [--files 10000] [--dirs 100] [--size 4096] [--big FILE]
                            [--patch-bytes 1048576] [--edits 100] [--push CMD] [--st-api URL --st-key K --st-peer ID]
                            [--timeout-s 900] [--edit-timeout-s 60] [--settle-max-s 30] [--seed N] [--warmup-files 200]
              disk-write    --dir D --bytes N [--block-kib 1024]
            T (temporary index databases) defaults to $BENCH_DIR/tmp or /tmp/lockstep-bench/tmp.
            """;
    }

    internal sealed class UsageException(string message) : Exception(message);

    internal sealed record BenchOptions
    {
        public string? Dir { get; init; }
        public int? Runs { get; init; }
        public int Edits { get; init; } = 200;
        public int? Parallelism { get; init; }
        public int? DelayMs { get; init; }
        public int TimeoutMs { get; init; } = 5000;
        public int Count { get; init; } = 1;
        public int Seconds { get; init; } = 3;
        public int BlockKiB { get; init; } = 1024;
        public string IndexDir { get; init; } = Path.Combine(
            Environment.GetEnvironmentVariable("BENCH_DIR") is { Length: > 0 } b ? b : "/tmp/lockstep-bench", "tmp");

        public string RequireDir()
        {
            if (Dir is null)
                throw new UsageException("--dir is required");
            var full = Path.GetFullPath(Dir);
            if (!Directory.Exists(full))
                throw new UsageException($"--dir '{full}' does not exist");
            return full;
        }

        public static BenchOptions Parse(string[] args)
        {
            var o = new BenchOptions();
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
                int Int()
                {
                    var name = args[i];
                    var v = Value();
                    return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                        ? n : throw new UsageException($"{name} must be a positive integer, got '{v}'");
                }
                o = args[i] switch
                {
                    "--dir" => o with { Dir = Value() },
                    "--runs" => o with { Runs = Int() },
                    "--edits" => o with { Edits = Int() },
                    "--parallelism" => o with { Parallelism = Int() },
                    "--delay-ms" => o with { DelayMs = Int() },
                    "--timeout-ms" => o with { TimeoutMs = Int() },
                    "--count" => o with { Count = Int() },
                    "--seconds" => o with { Seconds = Int() },
                    "--block-kib" => o with { BlockKiB = Int() },
                    "--index-dir" => o with { IndexDir = Path.GetFullPath(Value()) },
                    _ => throw new UsageException($"unknown option '{args[i]}'"),
                };
            }
            return o;
        }
    }

    internal static class Benchmarks
    {
        private static readonly ShortId Device = new(0x4C4F434B53544550); // "LOCKSTEP"
        private const string FolderId = "bench";

        // ---------------------------------------------------------------- scan

        public static async Task<int> ScanAsync(BenchOptions o)
        {
            var dir = o.RequireDir();
            int runs = o.Runs ?? 3;
            EnsureMarker(dir);
            var settings = Settings(dir, o, watcher: false);
            Console.WriteLine($"scan: {dir}, {runs} runs, hash parallelism {settings.HashParallelism}, {Environment.ProcessorCount} cores");
            var warm = WarmUp(dir);
            Console.WriteLine($"warm-up read (untimed): {warm.Files} files, {warm.Bytes / 1e6:F1} MB in {warm.Seconds:F2} s");

            var seconds = new List<double>();
            var filesPerS = new List<double>();
            var mbPerS = new List<double>();
            var cores = new List<double>();
            int problems = 0;
            for (int run = 1; run <= runs; run++)
            {
                using var scratch = new ScratchDir(o.IndexDir);
                ScanSummary summary;
                TimeSpan elapsed, cpu0, cpu;
                using (var db = IndexDatabase.Open(Path.Combine(scratch.Path, "index.db")))
                {
                    var scan = new LocalScan(settings, db.Folder(FolderId));
                    BenchOutput.Quiesce();
                    cpu0 = Proc.CpuTime();
                    var sw = Stopwatch.StartNew();
                    summary = await scan.RunAsync(null);
                    elapsed = sw.Elapsed;
                    cpu = Proc.CpuTime() - cpu0;
                }
                problems += ReportProblems(summary);
                if (summary.HashedFiles != warm.Files || summary.HashedBytes != warm.Bytes)
                    Console.WriteLine($"  WARNING: hashed {summary.HashedFiles} files / {summary.HashedBytes} bytes, the tree holds {warm.Files} / {warm.Bytes}");
                double s = elapsed.TotalSeconds;
                seconds.Add(s);
                filesPerS.Add(warm.Files / s);
                mbPerS.Add(summary.HashedBytes / 1e6 / s);
                cores.Add(cpu.TotalSeconds / s);
                Console.WriteLine($"  run {run}: {s:F3} s  {warm.Files / s,10:F0} files/s  {summary.HashedBytes / 1e6 / s,8:F1} MB/s  " +
                                  $"CPU {cpu.TotalSeconds / s:F2} cores  (changed {summary.Changed}, hashed {summary.HashedFiles} files, scan's own Duration {summary.Duration.TotalSeconds:F3} s)");
            }
            double medS = Stats.Median(seconds);
            Console.WriteLine($"median: {medS:F3} s  {Stats.Median(filesPerS):F0} files/s  {Stats.Median(mbPerS):F1} MB/s");
            Console.WriteLine(BenchOutput.Result(("files", warm.Files), ("bytes", warm.Bytes), ("runs", runs),
                ("median_s", medS), ("files_per_s", Stats.Median(filesPerS)), ("mb_per_s", Stats.Median(mbPerS)),
                ("hash_parallelism", settings.HashParallelism), ("cpu_cores", Stats.Median(cores)), ("problems", problems),
                ("runs_s", string.Join(',', seconds.Select(x => x.ToString("F3", CultureInfo.InvariantCulture))))));
            return 0;
        }

        // ---------------------------------------------------------------- rescan

        public static async Task<int> RescanAsync(BenchOptions o)
        {
            var dir = o.RequireDir();
            int runs = o.Runs ?? 5;
            EnsureMarker(dir);
            var settings = Settings(dir, o, watcher: false);
            Console.WriteLine($"rescan: {dir}, {runs} runs, hash parallelism {settings.HashParallelism}");
            using var scratch = new ScratchDir(o.IndexDir);
            using var db = IndexDatabase.Open(Path.Combine(scratch.Path, "index.db"));
            var scan = new LocalScan(settings, db.Folder(FolderId));

            var sw = Stopwatch.StartNew();
            var initial = await scan.RunAsync(null);
            Console.WriteLine($"initial scan (untimed for the result): {sw.Elapsed.TotalSeconds:F2} s, {initial.Changed} items recorded, " +
                              $"{initial.HashedFiles} files hashed; VmHWM so far {Proc.Status("VmHWM") / 1024.0:F1} MB");
            int problems = ReportProblems(initial);

            var seconds = new List<double>();
            for (int run = 1; run <= runs; run++)
            {
                BenchOutput.Quiesce();
                sw.Restart();
                var summary = await scan.RunAsync(null);
                double s = sw.Elapsed.TotalSeconds;
                seconds.Add(s);
                problems += ReportProblems(summary);
                Console.WriteLine($"  run {run}: {s:F3} s  (changed {summary.Changed}, deleted {summary.Deleted}, hashed {summary.HashedFiles}; VmRSS {Proc.Status("VmRSS") / 1024.0:F1} MB)");
                if (summary.Changed != 0 || summary.Deleted != 0 || summary.HashedFiles != 0)
                    Console.WriteLine("  WARNING: a rescan of an unchanged tree recorded or hashed something");
            }
            double med = Stats.Median(seconds);
            double hwm = Proc.Status("VmHWM") / 1024.0;
            Console.WriteLine($"median: {med:F3} s   peak RSS (VmHWM): {hwm:F1} MB");
            Console.WriteLine(BenchOutput.Result(("items", initial.Changed), ("runs", runs), ("median_s", med), ("peak_rss_mb", hwm),
                ("initial_s", initial.Duration.TotalSeconds), ("problems", problems),
                ("runs_s", string.Join(',', seconds.Select(x => x.ToString("F3", CultureInfo.InvariantCulture))))));
            return 0;
        }

        // ---------------------------------------------------------------- watch-latency

        private sealed record Pending(string Name, long Size)
        {
            public TaskCompletionSource<long> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public static async Task<int> WatchLatencyAsync(BenchOptions o)
        {
            var dir = o.RequireDir();
            EnsureMarker(dir);
            const int fileCount = 20;
            const string sub = "watch-bench";
            Directory.CreateDirectory(Path.Combine(dir, sub));
            var names = Enumerable.Range(0, fileCount).Select(i => $"{sub}/f{i:D3}.txt").ToArray();
            foreach (var n in names)
                File.WriteAllText(Path.Combine(dir, n), "initial\n");

            var settings = Settings(dir, o, watcher: true);
            Console.WriteLine($"watch-latency: {dir}, {o.Edits} edits over {fileCount} files, watcher delay {settings.WatcherDelay.TotalMilliseconds:F0} ms, timeout {o.TimeoutMs} ms");

            using var scratch = new ScratchDir(o.IndexDir);
            using var db = IndexDatabase.Open(Path.Combine(scratch.Path, "index.db"));
            var runner = new FolderRunner(settings, db.Folder(FolderId), new StderrLogger());
            Pending? pending = null;
            runner.LocalIndexUpdated += files =>
            {
                long now = Stopwatch.GetTimestamp();
                var p = Volatile.Read(ref pending);
                if (p is null)
                    return;
                foreach (BepFileInfo f in files)
                    if (f.Name == p.Name && f.Size == p.Size && !f.Deleted)
                        p.Seen.TrySetResult(now);
            };
            using var cts = new CancellationTokenSource();
            var running = Task.Run(() => runner.RunAsync(cts.Token));
            try
            {
                // RunAsync queues the initial full scan first; this one runs after it, so both are done here.
                await runner.ScanAsync(null).WaitAsync(TimeSpan.FromMinutes(5));
                await Task.Delay(500); // let the watcher settle; events from the setup writes drain
                if (runner.State == FolderState.Error)
                    throw new InvalidOperationException($"folder in error: {runner.Error}");

                var rng = new Random(12345);
                var latencies = new List<double>();
                int timeouts = 0;
                for (int i = 0; i < o.Edits; i++)
                {
                    var name = names[i % fileCount];
                    int size = 1024 + i; // unique per edit, so the update we wait for is this edit's
                    var content = new byte[size];
                    rng.NextBytes(content);
                    var p = new Pending(name, size);
                    Volatile.Write(ref pending, p);
                    long t0 = Stopwatch.GetTimestamp();
                    File.WriteAllBytes(Path.Combine(dir, name), content);
                    var done = await Task.WhenAny(p.Seen.Task, Task.Delay(o.TimeoutMs));
                    if (done == p.Seen.Task)
                        latencies.Add(Stopwatch.GetElapsedTime(t0, p.Seen.Task.Result).TotalMilliseconds);
                    else
                    {
                        timeouts++;
                        Console.WriteLine($"  edit {i + 1} ({name}): no LocalIndexUpdated within {o.TimeoutMs} ms");
                    }
                    Volatile.Write(ref pending, null);
                    if ((i + 1) % 50 == 0)
                        Console.WriteLine($"  {i + 1} edits done");
                }
                if (latencies.Count == 0)
                {
                    Console.WriteLine("no edit was seen: watcher broken?");
                    Console.WriteLine(BenchOutput.Result(("edits", o.Edits), ("timeouts", timeouts)));
                    return 1;
                }
                latencies.Sort();
                double p50 = Stats.Percentile(latencies, 50), p90 = Stats.Percentile(latencies, 90),
                    p99 = Stats.Percentile(latencies, 99), max = latencies[^1], min = latencies[0];
                Console.WriteLine($"latency write -> LocalIndexUpdated (ms): min {min:F1}  p50 {p50:F1}  p90 {p90:F1}  p99 {p99:F1}  max {max:F1}  (timeouts {timeouts})");
                Console.WriteLine(BenchOutput.Result(("edits", o.Edits), ("seen", latencies.Count), ("timeouts", timeouts),
                    ("delay_ms", settings.WatcherDelay.TotalMilliseconds), ("min_ms", min), ("p50_ms", p50), ("p90_ms", p90),
                    ("p99_ms", p99), ("max_ms", max)));
                return timeouts == 0 ? 0 : 1;
            }
            finally
            {
                cts.Cancel();
                try { await running.WaitAsync(TimeSpan.FromSeconds(10)); } catch (Exception e) when (e is OperationCanceledException or TimeoutException) { }
                await runner.DisposeAsync();
            }
        }

        // ---------------------------------------------------------------- hash-speed

        /// <summary>
        /// The SHA-256 rate the scanner's own primitive reaches here (SHA256.HashData on in-memory blocks, no I/O),
        /// on one thread and on one thread per core, wall clock: tells hashing cost apart from scanner overhead.
        /// </summary>
        public static int HashSpeed(BenchOptions o)
        {
            int block = o.BlockKiB * 1024;
            var duration = TimeSpan.FromSeconds(o.Seconds);
            static long Spin(byte[] data, TimeSpan duration)
            {
                Span<byte> hash = stackalloc byte[32];
                long bytes = 0;
                var sw = Stopwatch.StartNew();
                while (sw.Elapsed < duration)
                {
                    System.Security.Cryptography.SHA256.HashData(data, hash);
                    bytes += data.Length;
                }
                return bytes;
            }
            var buffers = Enumerable.Range(0, Environment.ProcessorCount).Select(i =>
            {
                var b = new byte[block];
                new Random(i).NextBytes(b);
                return b;
            }).ToArray();
            Spin(buffers[0], TimeSpan.FromMilliseconds(200)); // JIT and warm-up
            var cpu0 = Proc.CpuTime();
            var sw = Stopwatch.StartNew();
            long one = Spin(buffers[0], duration);
            double oneMbps = one / 1e6 / sw.Elapsed.TotalSeconds;
            double oneCores = (Proc.CpuTime() - cpu0).TotalSeconds / sw.Elapsed.TotalSeconds;
            var threads = new long[buffers.Length];
            cpu0 = Proc.CpuTime();
            sw.Restart();
            var workers = buffers.Select((b, i) => new Thread(() => threads[i] = Spin(b, duration))).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            double allMbps = threads.Sum() / 1e6 / sw.Elapsed.TotalSeconds;
            double allCores = (Proc.CpuTime() - cpu0).TotalSeconds / sw.Elapsed.TotalSeconds;
            Console.WriteLine($".NET SHA256.HashData, {o.BlockKiB} KiB blocks, wall clock: 1 thread {oneMbps:F0} MB/s (CPU {oneCores:F2} cores), " +
                              $"{buffers.Length} threads {allMbps:F0} MB/s (CPU {allCores:F2} cores)");
            Console.WriteLine(BenchOutput.Result(("block_kib", o.BlockKiB), ("one_core_mb_per_s", oneMbps), ("all_cores_mb_per_s", allMbps),
                ("threads", buffers.Length), ("all_cores_cpu", allCores)));
            return 0;
        }

        // ---------------------------------------------------------------- free-port

        public static int FreePorts(BenchOptions o)
        {
            // Hold all listeners until every port is chosen so the ports are distinct.
            var listeners = new List<TcpListener>();
            try
            {
                for (int i = 0; i < o.Count; i++)
                {
                    var l = new TcpListener(IPAddress.Loopback, 0);
                    l.Start();
                    listeners.Add(l);
                    Console.WriteLine(((IPEndPoint)l.LocalEndpoint).Port);
                }
            }
            finally
            {
                foreach (var l in listeners)
                    l.Stop();
            }
            return 0;
        }

        // ---------------------------------------------------------------- helpers

        private static FolderSettings Settings(string dir, BenchOptions o, bool watcher)
        {
            var s = new FolderSettings
            {
                Id = FolderId,
                Path = dir,
                LocalDevice = Device,
                WatcherEnabled = watcher,
                RescanInterval = TimeSpan.FromDays(1),
            };
            if (o.Parallelism is { } p)
                s = s with { HashParallelism = p };
            if (o.DelayMs is { } d)
                s = s with { WatcherDelay = TimeSpan.FromMilliseconds(d) };
            return s;
        }

        private static void EnsureMarker(string dir)
        {
            if (FolderMarker.Check(dir) is not null)
                FolderMarker.Create(dir);
        }

        /// <summary>Reads every regular file once (page cache warm) and counts what a scan will hash.</summary>
        private static (long Files, long Bytes, double Seconds) WarmUp(string dir)
        {
            var sw = Stopwatch.StartNew();
            long files = 0, bytes = 0;
            var buffer = new byte[1 << 20];
            var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            foreach (var path in Directory.EnumerateFiles(dir, "*", walk))
            {
                var rel = Path.GetRelativePath(dir, path);
                if (rel.StartsWith(".st", StringComparison.Ordinal) || rel.StartsWith(".lockstep", StringComparison.Ordinal))
                    continue;
                if (File.ResolveLinkTarget(path, false) is not null)
                    continue;
                using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
                int n;
                while ((n = fs.Read(buffer, 0, buffer.Length)) > 0)
                    bytes += n;
                files++;
            }
            return (files, bytes, sw.Elapsed.TotalSeconds);
        }

        private static int ReportProblems(ScanSummary summary)
        {
            foreach (var p in summary.Problems.Take(5))
                Console.WriteLine($"  PROBLEM: {p.Name}: {p.Message}");
            if (summary.Problems.Count > 5)
                Console.WriteLine($"  ... and {summary.Problems.Count - 5} more problems");
            return summary.Problems.Count;
        }

    }

    internal static class Stats
    {
        public static double Median(IReadOnlyList<double> values)
        {
            var s = values.Order().ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }

        /// <summary>Nearest-rank percentile of an ascending list.</summary>
        public static double Percentile(IReadOnlyList<double> sorted, double p)
        {
            int rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
        }
    }

    internal static class Proc
    {
        /// <summary>User + system CPU time of this process so far.</summary>
        public static TimeSpan CpuTime()
        {
            using var p = Process.GetCurrentProcess();
            return p.TotalProcessorTime;
        }

        /// <summary>A "VmXxx: N kB" line of /proc/self/status, in kB (0 when absent).</summary>
        public static long Status(string key)
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                    return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return 0;
        }
    }

    /// <summary>A private directory for one index database, deleted afterwards (never inside the scanned tree).</summary>
    internal sealed class ScratchDir : IDisposable
    {
        public string Path { get; }

        public ScratchDir(string root)
        {
            Directory.CreateDirectory(root);
            Path = System.IO.Path.Combine(root, $"index-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(Path);
        }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Warnings and errors from the runner go to stderr, so a broken watcher is visible.</summary>
    internal sealed class StderrLogger : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel level) => level >= Microsoft.Extensions.Logging.LogLevel.Warning;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel level, Microsoft.Extensions.Logging.EventId id, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(level))
                Console.Error.WriteLine($"[{level}] {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
        }
    }
}
