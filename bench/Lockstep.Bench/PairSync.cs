// sync-pair: drives one pair of already running sync nodes from the outside, through their folders on disk only
// (no API needed), and measures what a user of the pair would see. bench/run-sync.sh starts the pair (two
// `lockstep serve`, two Syncthing 1.19, or nothing but an rsync daemon), runs this once, and stops the pair.
//
//   0. warm-up --warmup-files (200) files in SRC/warmup/, one of them 8 MiB, then 20 of them edited; untimed, so
//              that a node on a JIT runtime has compiled its hot paths, as a long-running node would have.
//   1. small   N files of S bytes written into SRC (one thread, in memory beforehand); time from the first write
//              until DST holds every file with the same bytes. CPU seconds (utime+stime of --pids) over that time
//              plus the settling after it; peak RSS (VmHWM) of each pid afterwards.
//   2. big     a prepared file (--big, on the same file system) renamed into SRC, so it appears at once and whole;
//              time until DST holds it (size, then three 1 MiB samples; the full compare runs afterwards, untimed).
//   3. patch   --patch-bytes (1 MiB) overwritten in place in the middle of that file, at a multiple of its size;
//              time until DST's copy shows the new bytes; bytes on the wire both ways (TCP payload of the pair's
//              connections, from `ss -ti`: the TLS records), counted from before the write until both nodes
//              have settled, and Syncthing's own counters when --st-api is given.
//   4. edits   E sequential small edits (new content, a size unique to the edit) of 20 files in SRC/edits/; each
//              is timed from the start of the write until DST's copy has the same bytes; p50/p90/p99/max.
//
// "Settled" = the pids together used at most 2% of a core over the last second (at most --settle-max-s). With
// --push CMD (a one-shot copier such as rsync) the command runs after each change and is part of the time; then
// there are no pids, no settling and no edits. MB = 10^6 bytes.

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lockstep.Bench;

internal static partial class PairSync
{
    private const int EditFiles = 20;
    private const int SampleBytes = 1 << 20;

    private sealed record Options
    {
        public string Src { get; init; } = "";
        public string Dst { get; init; } = "";
        public int[] Pids { get; init; } = [];
        public int[] Ports { get; init; } = [];
        public int Files { get; init; } = 10000;
        public int Dirs { get; init; } = 100;
        public int Size { get; init; } = 4096;
        public string? Big { get; init; }
        public int PatchBytes { get; init; } = 1 << 20;
        public int Edits { get; init; } = 100;
        public string? Push { get; init; }
        public string? StApi { get; init; }
        public string? StKey { get; init; }
        public string? StPeer { get; init; }
        public double TimeoutS { get; init; } = 900;
        public double EditTimeoutS { get; init; } = 60;
        public double SettleMaxS { get; init; } = 30;
        public int Seed { get; init; } = 1;
        public int WarmupFiles { get; init; } = 200;
        public bool DropCaches { get; init; }
    }

    private static readonly List<(string Key, object Value)> Fields = new();
    private static int _problems;

    public static async Task<int> RunAsync(string[] args)
    {
        var o = Parse(args);
        Directory.CreateDirectory(o.Src);
        Directory.CreateDirectory(o.Dst);
        var rng = new Random(o.Seed);
        Console.WriteLine($"sync-pair: {o.Src} -> {o.Dst}; pids [{string.Join(',', o.Pids)}], ports [{string.Join(',', o.Ports)}]" +
                          (o.Push is null ? "" : $", push: {o.Push}"));
        Console.WriteLine($"clock ticks per second {ProcInfo.TicksPerSecond}; wire bytes from ss: {(o.Ports.Length > 0 ? "yes" : "no")}");

        if (o.WarmupFiles > 0)
            WarmUp(o, rng);
        if (o.Files > 0)
            Small(o, rng);
        if (o.Big is not null)
        {
            long size = Big(o);
            if (o.PatchBytes > 0)
                await PatchAsync(o, rng, size);
        }
        if (o.Edits > 0 && o.Push is null)
            Edits(o, rng);

        Fields.Add(("problems", _problems));
        Console.WriteLine(BenchOutput.Result([.. Fields]));
        return _problems == 0 ? 0 : 1;
    }

    // ---------------------------------------------------------------- 0. warm-up (untimed)

    /// <summary>
    /// A little of every step, untimed, in warmup/: nodes on a runtime with a JIT (Lockstep) compile their hot paths
    /// here rather than inside the measured steps, as a long-running node would have long done.
    /// </summary>
    private static void WarmUp(Options o, Random rng)
    {
        var sw = Stopwatch.StartNew();
        Settle(o, "start");
        var files = Enumerable.Range(0, o.WarmupFiles).Select(i =>
        {
            var data = new byte[i == 0 ? 8 << 20 : o.Size]; // one bigger file, so block transfer runs too
            rng.NextBytes(data);
            return (Rel: $"warmup/w{i % 10}/f{i:D4}", Data: data);
        }).ToList();
        int edited = Math.Min(20, files.Count);
        foreach (var round in new[] { 0, 1 })
        {
            if (round == 1)
            {
                // Edits of some of them, one byte longer: a same-size rewrite within the same second is invisible to
                // tools that compare size and whole-second mtimes (rsync's quick check).
                for (int i = 0; i < edited; i++)
                {
                    var data = new byte[files[i].Data.Length + 1];
                    rng.NextBytes(data);
                    files[i] = (files[i].Rel, data);
                }
            }
            foreach (var (rel, data) in round == 0 ? files : files.Take(edited))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(o.Src, rel))!);
                File.WriteAllBytes(Path.Combine(o.Src, rel), data);
            }
            RunPush(o);
            WaitFor(o, "warm-up", new TreeWaiter(o.Dst, files).Poll, TimeSpan.FromMilliseconds(20));
        }
        Settle(o, "warm-up");
        Console.WriteLine($"warm-up: {o.WarmupFiles} files in warmup/ (one of 8 MiB), then 20 of them edited, on the peer and settled in {sw.Elapsed.TotalSeconds:F1} s (untimed)");
    }

    // ---------------------------------------------------------------- 1. small files

    private static void Small(Options o, Random rng)
    {
        var files = new List<(string Rel, byte[] Data)>(o.Files);
        for (int i = 0; i < o.Files; i++)
        {
            var data = new byte[o.Size];
            rng.NextBytes(data);
            files.Add(($"small/d{i % o.Dirs:D3}/f{i:D5}", data));
        }
        var waiter = new TreeWaiter(o.Dst, files);
        if (o.DropCaches)
            DropCaches(o);
        var cpu0 = ProcInfo.CpuTicks(o.Pids);

        long t0 = Stopwatch.GetTimestamp();
        foreach (var dir in files.Select(f => Path.GetDirectoryName(f.Rel)!).Distinct())
            Directory.CreateDirectory(Path.Combine(o.Src, dir));
        foreach (var (rel, data) in files)
            File.WriteAllBytes(Path.Combine(o.Src, rel), data);
        double writeS = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        RunPush(o);
        var deadline = Stopwatch.StartNew();
        // How far the peer got while the writer ran: tells a pipeline that keeps up from one that catches up after.
        bool identical = waiter.Poll();
        int doneAtWriteEnd = o.Files - waiter.Pending;
        while (!identical)
        {
            if (deadline.Elapsed.TotalSeconds > o.TimeoutS)
                throw new TimeoutException($"small: {waiter.Pending} of {o.Files} files still missing or different on the peer after {o.TimeoutS} s");
            ProcInfo.RequireAlive(o.Pids);
            Thread.Sleep(20);
            identical = waiter.Poll();
        }
        double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double settle = Settle(o, "small");
        var cpu1 = ProcInfo.CpuTicks(o.Pids);
        double cpuA = o.Pids.Length > 0 ? (cpu1[0] - cpu0[0]) / ProcInfo.TicksPerSecond : -1;
        double cpuB = o.Pids.Length > 1 ? (cpu1[1] - cpu0[1]) / ProcInfo.TicksPerSecond : -1;
        double rssA = o.Pids.Length > 0 ? ProcInfo.StatusKiB(o.Pids[0], "VmHWM") / 1024.0 : -1;
        double rssB = o.Pids.Length > 1 ? ProcInfo.StatusKiB(o.Pids[1], "VmHWM") / 1024.0 : -1;
        Console.WriteLine($"small: {o.Files} x {o.Size} B written in {writeS:F3} s ({doneAtWriteEnd} already on the peer then), identical on the peer after {s:F3} s ({o.Files / s:F0} files/s)" +
                          (o.Pids.Length < 2 ? "" : $"; settled {settle:F1} s later; CPU A {cpuA:F2} s, B {cpuB:F2} s; VmHWM A {rssA:F1} MB, B {rssB:F1} MB"));
        Fields.AddRange([("small_files", o.Files), ("small_s", s), ("small_write_s", writeS), ("small_cpu_a_s", cpuA),
            ("small_cpu_b_s", cpuB), ("rss_a_mb", rssA), ("rss_b_mb", rssB), ("small_settle_s", settle), ("small_done_at_write_end", doneAtWriteEnd)]);
    }

    // ---------------------------------------------------------------- 2. one big file

    private static long Big(Options o)
    {
        var staged = Path.GetFullPath(o.Big!);
        long size = new FileInfo(staged).Length;
        var src = Path.Combine(o.Src, "big.bin");
        var dst = Path.Combine(o.Dst, "big.bin");
        var cpu0 = ProcInfo.CpuTicks(o.Pids);

        long t0 = Stopwatch.GetTimestamp();
        File.Move(staged, src);
        RunPush(o);
        WaitFor(o, "big", () =>
        {
            var fi = new FileInfo(dst);
            return fi.Exists && fi.Length == size && SamplesEqual(src, dst, size);
        }, TimeSpan.FromMilliseconds(5));
        double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var cpu1 = ProcInfo.CpuTicks(o.Pids);
        double cpu = o.Pids.Length > 0 ? (cpu1.Sum() - cpu0.Sum()) / ProcInfo.TicksPerSecond : -1;
        double cpuA = o.Pids.Length > 0 ? (cpu1[0] - cpu0[0]) / ProcInfo.TicksPerSecond : -1;
        bool same = FilesEqual(src, dst);
        if (!same)
            Problem("big: the peer's big.bin has the right size and samples but differs elsewhere");
        double settle = Settle(o, "big");
        Console.WriteLine($"big: {size / 1e6:F1} MB identical on the peer after {s:F3} s = {size / 1e6 / s:F1} MB/s; full compare {(same ? "equal" : "DIFFERENT")}" +
                          (o.Pids.Length == 0 ? "" : $"; CPU to arrival {cpu:F2} s = {cpu / (size / 1e9):F1} CPU-s/GB (A {cpuA:F2} s, B {cpu - cpuA:F2} s); settled {settle:F1} s later"));
        Fields.AddRange([("big_bytes", size), ("big_s", s), ("big_mb_s", size / 1e6 / s), ("big_cpu_s", cpu), ("big_cpu_a_s", cpuA)]);
        return size;
    }

    // ---------------------------------------------------------------- 3. 1 MiB overwritten in the middle

    private static async Task PatchAsync(Options o, Random rng, long size)
    {
        var src = Path.Combine(o.Src, "big.bin");
        var dst = Path.Combine(o.Dst, "big.bin");
        int n = (int)Math.Min(o.PatchBytes, size);
        long offset = size >= 2L * n ? size / 2 / n * n : 0;
        var patch = new byte[n];
        rng.NextBytes(patch);
        var region = new byte[n];

        var wire0 = Wire.Snapshot(o.Ports);
        long rest0 = await StBytesAsync(o);
        var lastMtime = File.GetLastWriteTimeUtc(dst);
        var lastRead = Stopwatch.StartNew();

        long t0 = Stopwatch.GetTimestamp();
        using (var fs = new FileStream(src, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1))
        {
            fs.Seek(offset, SeekOrigin.Begin);
            fs.Write(patch);
        }
        long pushBytes = RunPush(o);
        WaitFor(o, "patch", () =>
        {
            // Both tools replace the file by a rename, so the mtime (copied from SRC) changes; read the region then,
            // and every 100 ms anyway in case a tool writes in place.
            var m = File.GetLastWriteTimeUtc(dst);
            if (m == lastMtime && lastRead.ElapsedMilliseconds < 100)
                return false;
            lastMtime = m;
            lastRead.Restart();
            return ReadAt(dst, offset, region) == n && region.AsSpan().SequenceEqual(patch);
        }, TimeSpan.FromMilliseconds(2));
        double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        bool same = FilesEqual(src, dst);
        if (!same)
            Problem("patch: the peer's big.bin shows the new region but differs elsewhere");
        double settle = Settle(o, "patch");
        var wire1 = Wire.Snapshot(o.Ports);
        long rest1 = await StBytesAsync(o);
        long wire = -1;
        if (wire0 is not null && wire1 is not null)
        {
            if (wire0.Value.Connections == wire1.Value.Connections)
                wire = wire1.Value.Bytes - wire0.Value.Bytes;
            else
                Console.WriteLine($"  WARNING: the pair's connections changed during the patch ({wire0.Value.Connections} -> {wire1.Value.Connections}): no wire count");
        }
        long rest = rest0 >= 0 && rest1 >= 0 ? rest1 - rest0 : -1;
        var counts = new List<string>();
        if (wire >= 0)
            counts.Add($"wire (ss, TCP payload both ways) {Mib(wire)}");
        if (rest >= 0)
            counts.Add($"Syncthing's counters {Mib(rest)}");
        if (pushBytes >= 0)
            counts.Add($"push tool's --stats {Mib(pushBytes)}");
        Console.WriteLine($"patch: {n} B at offset {offset} identical on the peer after {s:F3} s; full compare {(same ? "equal" : "DIFFERENT")}" +
                          (o.Pids.Length == 0 ? "" : $"; settled {settle:F1} s later") + "; " + (counts.Count > 0 ? string.Join(", ", counts) : "no byte count"));
        Fields.AddRange([("patch_bytes", n), ("patch_offset", offset), ("patch_s", s), ("wire_bytes", wire), ("rest_bytes", rest),
            ("push_bytes", pushBytes)]);
    }

    private static string Mib(long bytes) => bytes < 0 ? "n/a" : $"{bytes / 1048576.0:F3} MiB ({bytes} B)";

    // ---------------------------------------------------------------- 4. small edits, one at a time

    private static void Edits(Options o, Random rng)
    {
        var initial = Enumerable.Range(0, EditFiles).Select(i =>
        {
            var data = new byte[100];
            rng.NextBytes(data);
            return ($"edits/e{i:D2}.bin", data);
        }).ToList();
        Directory.CreateDirectory(Path.Combine(o.Src, "edits"));
        foreach (var (rel, data) in initial)
            File.WriteAllBytes(Path.Combine(o.Src, rel), data);
        var waiter = new TreeWaiter(o.Dst, initial);
        WaitFor(o, "edits (initial files)", waiter.Poll, TimeSpan.FromMilliseconds(20));
        Settle(o, "edits (initial files)");

        var latencies = new List<double>();
        int timeouts = 0;
        for (int i = 0; i < o.Edits; i++)
        {
            var rel = initial[i % EditFiles].Item1;
            var data = new byte[1000 + i]; // a size no earlier edit of this file had
            rng.NextBytes(data);
            var dst = Path.Combine(o.Dst, rel);
            var fi = new FileInfo(dst);
            long t0 = Stopwatch.GetTimestamp();
            File.WriteAllBytes(Path.Combine(o.Src, rel), data);
            bool seen = false;
            while (Stopwatch.GetElapsedTime(t0).TotalSeconds < o.EditTimeoutS)
            {
                fi.Refresh();
                if (fi.Exists && fi.Length == data.Length && ReadAll(dst) is { } now && now.AsSpan().SequenceEqual(data))
                {
                    seen = true;
                    break;
                }
                Thread.Sleep(1);
            }
            if (seen)
                latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            else
            {
                timeouts++;
                Console.WriteLine($"  edit {i + 1} ({rel}): not on the peer within {o.EditTimeoutS} s");
                ProcInfo.RequireAlive(o.Pids);
            }
            if ((i + 1) % 25 == 0)
                Console.WriteLine($"  {i + 1} edits done");
        }
        if (latencies.Count == 0)
        {
            Problem("edits: no edit reached the peer");
            Fields.AddRange([("edits", o.Edits), ("edit_timeouts", timeouts)]);
            return;
        }
        latencies.Sort();
        double p50 = Stats.Percentile(latencies, 50), p90 = Stats.Percentile(latencies, 90), p99 = Stats.Percentile(latencies, 99);
        Console.WriteLine($"edits: {o.Edits} edits, write -> identical on the peer (ms): min {latencies[0]:F1}  p50 {p50:F1}  p90 {p90:F1}  " +
                          $"p99 {p99:F1}  max {latencies[^1]:F1}  (timeouts {timeouts})");
        if (timeouts > 0)
            Problem($"edits: {timeouts} edits never reached the peer");
        Fields.AddRange([("edits", o.Edits), ("edit_timeouts", timeouts), ("edit_min_ms", latencies[0]), ("edit_p50_ms", p50),
            ("edit_p90_ms", p90), ("edit_p99_ms", p99), ("edit_max_ms", latencies[^1])]);
    }

    // ---------------------------------------------------------------- helpers

    private static void Problem(string message)
    {
        _problems++;
        Console.WriteLine($"PROBLEM: {message}");
    }

    private static void WaitFor(Options o, string step, Func<bool> done, TimeSpan interval)
    {
        var sw = Stopwatch.StartNew();
        while (!done())
        {
            if (sw.Elapsed.TotalSeconds > o.TimeoutS)
                throw new TimeoutException($"{step}: not identical on the peer after {o.TimeoutS} s");
            ProcInfo.RequireAlive(o.Pids);
            Thread.Sleep(interval);
        }
    }

    /// <summary>
    /// Writes dirty pages back and drops the clean page cache (root only), then waits for the pids to settle. On an
    /// ext4 without a journal (this machine's root file system) a new inode is not given a number whose inode
    /// table block is still cached and records a deletion less than 5.5 minutes old; after the earlier steps and
    /// runs deleted their trees, creating 10,000 files then took 2-6 s instead of 0.3-1 s, whoever created them,
    /// and noisily. Dropping the cache takes those blocks out of the check, as on a machine that has been up a while.
    /// </summary>
    private static void DropCaches(Options o)
    {
        var sw = Stopwatch.StartNew();
        Sync();
        File.WriteAllText("/proc/sys/vm/drop_caches", "3");
        if (o.Big is not null)
        {
            // The big step's file was in the cache before (written just before the run); it is again, so that step
            // measures what it did without the drop.
            using var stream = new FileStream(o.Big, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            stream.CopyTo(Stream.Null, 1 << 20);
        }
        Settle(o, "drop caches");
        Console.WriteLine($"drop caches: sync and drop_caches=3 before the small step{(o.Big is null ? "" : ", then --big read back")} ({sw.Elapsed.TotalSeconds:F1} s, untimed)");
    }

    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void Sync();

    /// <summary>Waits until the pids are idle (≤ 2% of a core over the last second); returns the seconds waited.</summary>
    private static double Settle(Options o, string step)
    {
        if (o.Pids.Length == 0)
            return 0;
        var sw = Stopwatch.StartNew();
        var samples = new Queue<(double T, double Ticks)>();
        while (true)
        {
            ProcInfo.RequireAlive(o.Pids);
            double now = sw.Elapsed.TotalSeconds, ticks = ProcInfo.CpuTicks(o.Pids).Sum();
            samples.Enqueue((now, ticks));
            // Keep the newest sample that is at least one second old as the start of the window.
            while (samples.Count > 2 && now - samples.ElementAt(1).T >= 1.0)
                samples.Dequeue();
            var first = samples.Peek();
            if (now - first.T >= 1.0 && (ticks - first.Ticks) / ProcInfo.TicksPerSecond <= 0.02 * (now - first.T))
                return Math.Max(0, now - 1);
            if (now > o.SettleMaxS)
            {
                Console.WriteLine($"  WARNING: {step}: the nodes were still busy {o.SettleMaxS} s after the step " +
                                  $"({(ticks - first.Ticks) / ProcInfo.TicksPerSecond / (now - first.T):F2} cores over the last second)");
                return now;
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>Runs --push once (rsync); returns the bytes it reports sent + received, or -1.</summary>
    private static long RunPush(Options o)
    {
        if (o.Push is null)
            return -1;
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(o.Push);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"push command failed (exit {p.ExitCode}): {stderr.Result.Trim()}");
        long Field(string name)
        {
            var m = Regex.Match(stdout, name + @":\s*([\d,]+)");
            return m.Success ? long.Parse(m.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture) : -1;
        }
        long sent = Field("Total bytes sent"), received = Field("Total bytes received");
        return sent >= 0 && received >= 0 ? sent + received : -1;
    }

    /// <summary>Syncthing's own byte counters for the peer (in + out, as the sending side sees them), or -1.</summary>
    private static async Task<long> StBytesAsync(Options o)
    {
        if (o.StApi is null || o.StPeer is null)
            return -1;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, o.StApi.TrimEnd('/') + "/rest/system/connections");
        request.Headers.Add("X-API-Key", o.StKey ?? "");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (!doc.RootElement.GetProperty("connections").TryGetProperty(o.StPeer, out var c))
            return -1;
        return c.GetProperty("inBytesTotal").GetInt64() + c.GetProperty("outBytesTotal").GetInt64();
    }

    private static byte[]? ReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // replaced or removed between the stat and the read
        }
    }

    private static int ReadAt(string path, long offset, byte[] buffer)
    {
        try
        {
            using var h = File.OpenHandle(path);
            int total = 0;
            while (total < buffer.Length)
            {
                int n = RandomAccess.Read(h, buffer.AsSpan(total), offset + total);
                if (n == 0)
                    break;
                total += n;
            }
            return total;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>Compares 1 MiB at the start, the middle and the end of both files.</summary>
    private static bool SamplesEqual(string a, string b, long size)
    {
        var x = new byte[SampleBytes];
        var y = new byte[SampleBytes];
        foreach (long at in new[] { 0, Math.Max(0, size / 2 - SampleBytes / 2), Math.Max(0, size - SampleBytes) })
        {
            int na = ReadAt(a, at, x), nb = ReadAt(b, at, y);
            if (na < 0 || na != nb || !x.AsSpan(0, na).SequenceEqual(y.AsSpan(0, nb)))
                return false;
        }
        return true;
    }

    private static bool FilesEqual(string a, string b)
    {
        using var fa = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        using var fb = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        if (fa.Length != fb.Length)
            return false;
        var x = new byte[4 << 20];
        var y = new byte[4 << 20];
        while (true)
        {
            int na = fa.ReadAtLeast(x, x.Length, throwOnEndOfStream: false);
            int nb = fb.ReadAtLeast(y, y.Length, throwOnEndOfStream: false);
            if (na != nb || !x.AsSpan(0, na).SequenceEqual(y.AsSpan(0, nb)))
                return false;
            if (na == 0)
                return true;
        }
    }

    private static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            int Int(bool zeroOk = false)
            {
                var name = args[i];
                var v = Value();
                return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && (n > 0 || zeroOk && n == 0)
                    ? n : throw new UsageException($"{name} must be a {(zeroOk ? "non-negative" : "positive")} integer, got '{v}'");
            }
            double Seconds()
            {
                var name = args[i];
                var v = Value();
                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0
                    ? d : throw new UsageException($"{name} must be a positive number of seconds, got '{v}'");
            }
            int[] Ints()
            {
                var name = args[i];
                var v = Value();
                return v.Length == 0 ? [] : v.Split(',').Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n : throw new UsageException($"{name} takes positive integers separated by commas, got '{v}'")).ToArray();
            }
            o = args[i] switch
            {
                "--src" => o with { Src = Path.GetFullPath(Value()) },
                "--dst" => o with { Dst = Path.GetFullPath(Value()) },
                "--pids" => o with { Pids = Ints() },
                "--ports" => o with { Ports = Ints() },
                "--files" => o with { Files = Int(zeroOk: true) },
                "--dirs" => o with { Dirs = Int() },
                "--size" => o with { Size = Int() },
                "--big" => o with { Big = Value() },
                "--patch-bytes" => o with { PatchBytes = Int(zeroOk: true) },
                "--edits" => o with { Edits = Int(zeroOk: true) },
                "--push" => o with { Push = Value() },
                "--st-api" => o with { StApi = Value() },
                "--st-key" => o with { StKey = Value() },
                "--st-peer" => o with { StPeer = Value() },
                "--timeout-s" => o with { TimeoutS = Seconds() },
                "--edit-timeout-s" => o with { EditTimeoutS = Seconds() },
                "--settle-max-s" => o with { SettleMaxS = Seconds() },
                "--seed" => o with { Seed = Int() },
                "--warmup-files" => o with { WarmupFiles = Int(zeroOk: true) },
                "--drop-caches" => o with { DropCaches = true },
                _ => throw new UsageException($"unknown option '{args[i]}'"),
            };
        }
        if (o.Src.Length == 0 || o.Dst.Length == 0)
            throw new UsageException("sync-pair needs --src and --dst");
        if (o.Big is not null && !File.Exists(o.Big))
            throw new UsageException($"--big '{o.Big}' does not exist");
        return o;
    }

    // ---------------------------------------------------------------- the peer's tree, polled cheaply

    /// <summary>
    /// Waits for a set of files to appear with given bytes under a root, checking each directory again only when
    /// its mtime moved (a file renamed in changes it) or it changed within the last 200 ms (a second change in the
    /// same coarse clock tick leaves the mtime as it was), and any directory holding a file seen with wrong bytes.
    /// </summary>
    private sealed class TreeWaiter
    {
        private sealed class Dir
        {
            public required string Path { get; init; }
            public Dictionary<string, byte[]> Pending { get; } = new(StringComparer.Ordinal);
            public DateTime Mtime { get; set; } = DateTime.MinValue;
            public DateTime ScannedAt { get; set; } = DateTime.MinValue;
            public bool SawWrong { get; set; }
        }

        private readonly List<Dir> _dirs;

        public TreeWaiter(string root, IEnumerable<(string Rel, byte[] Data)> files)
        {
            var byDir = new Dictionary<string, Dir>(StringComparer.Ordinal);
            foreach (var (rel, data) in files)
            {
                var full = Path.Combine(root, rel);
                var dirPath = Path.GetDirectoryName(full)!;
                if (!byDir.TryGetValue(dirPath, out var d))
                    byDir[dirPath] = d = new Dir { Path = dirPath };
                d.Pending[Path.GetFileName(full)] = data;
            }
            _dirs = [.. byDir.Values];
        }

        public int Pending => _dirs.Sum(d => d.Pending.Count);

        /// <summary>One pass; true once every file is there with its bytes.</summary>
        public bool Poll()
        {
            bool done = true;
            foreach (var d in _dirs)
            {
                if (d.Pending.Count == 0)
                    continue;
                done = false;
                var mtime = Directory.GetLastWriteTimeUtc(d.Path);
                if (mtime.Year < 1700)
                    continue; // not there yet
                var now = DateTime.UtcNow;
                if (mtime == d.Mtime && !d.SawWrong && mtime < d.ScannedAt.AddMilliseconds(-200))
                    continue;
                d.Mtime = mtime;
                d.ScannedAt = now;
                d.SawWrong = false;
                IEnumerable<string> names;
                try
                {
                    names = Directory.EnumerateFiles(d.Path).Select(p => System.IO.Path.GetFileName(p)).ToList();
                }
                catch (DirectoryNotFoundException)
                {
                    continue;
                }
                foreach (var name in names)
                {
                    if (!d.Pending.TryGetValue(name, out var want))
                        continue;
                    var have = ReadAll(System.IO.Path.Combine(d.Path, name));
                    if (have is not null && have.AsSpan().SequenceEqual(want))
                        d.Pending.Remove(name);
                    else
                        d.SawWrong = true;
                }
            }
            return done || _dirs.All(d => d.Pending.Count == 0);
        }
    }

    // ---------------------------------------------------------------- /proc of the nodes

    private static partial class ProcInfo
    {
        [LibraryImport("libc", EntryPoint = "sysconf")]
        private static partial long SysConf(int name);

        private const int ScClkTck = 2; // _SC_CLK_TCK on Linux

        public static readonly double TicksPerSecond = SysConf(ScClkTck) is > 0 and var t ? t : 100;

        /// <summary>utime + stime of each pid, in clock ticks.</summary>
        public static double[] CpuTicks(int[] pids) => pids.Select(pid =>
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) start at "state", field 3; utime and stime are 14 and 15.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return double.Parse(rest[11], CultureInfo.InvariantCulture) + double.Parse(rest[12], CultureInfo.InvariantCulture);
        }).ToArray();

        public static long StatusKiB(int pid, string key)
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                    return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return -1;
        }

        public static void RequireAlive(int[] pids)
        {
            foreach (var pid in pids)
                if (!File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal))
                    throw new InvalidOperationException($"node pid {pid} has exited");
        }
    }

    // ---------------------------------------------------------------- bytes on the wire

    /// <summary>TCP payload received by every socket of the pair's connections (each byte sent is received once).</summary>
    private static partial class Wire
    {
        [GeneratedRegex(@"bytes_received:(\d+)")]
        private static partial Regex Received();

        public static (long Bytes, string Connections)? Snapshot(int[] ports)
        {
            if (ports.Length == 0)
                return null;
            var filter = "( " + string.Join(" or ", ports.Select(p => $"sport = :{p} or dport = :{p}")) + " )";
            var psi = new ProcessStartInfo("ss") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-tinH", "state", "established", filter })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                return null;
            long bytes = 0;
            var connections = new List<string>();
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0)
                    continue;
                if (!char.IsWhiteSpace(line[0]))
                {
                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length >= 2)
                        connections.Add(f[^2] + ">" + f[^1]);
                }
                foreach (Match m in Received().Matches(line))
                    bytes += long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            connections.Sort(StringComparer.Ordinal);
            return (bytes, string.Join(' ', connections));
        }
    }
}

/// <summary>
/// disk-write: the disk's write limit for one file, measured the ordinary way (buffered writes, then fsync) and around
/// the page cache (O_DIRECT, then fsync), the two ways a puller can land one.
/// </summary>
internal static class DiskWrite
{
    public const string Usage = "disk-write --dir D --bytes N [--block-kib 1024]";

    public static int Run(string[] args)
    {
        string? dir = null;
        long bytes = 0;
        int blockKiB = 1024;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--dir": dir = Value(); break;
                case "--bytes": bytes = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--block-kib": blockKiB = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new UsageException($"unknown option '{args[i]}'");
            }
        }
        if (dir is null || bytes <= 0 || blockKiB <= 0)
            throw new UsageException(Usage);
        Directory.CreateDirectory(dir);
        // Eight different random blocks, so nothing below the file system can deduplicate or compress the stream.
        var blocks = Enumerable.Range(0, 8).Select(i =>
        {
            var b = new byte[blockKiB * 1024];
            new Random(i).NextBytes(b);
            return b;
        }).ToArray();
        var path = Path.Combine(dir, $"disk-write-{Environment.ProcessId}.bin");
        try
        {
            // 1. The ordinary way: buffered writes through the page cache, then one fsync.
            var sw = Stopwatch.StartNew();
            using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                long written = 0;
                for (int i = 0; written < bytes; i++)
                {
                    var b = blocks[i % blocks.Length];
                    int n = (int)Math.Min(b.Length, bytes - written);
                    fs.Write(b, 0, n);
                    written += n;
                }
                fs.Flush(flushToDisk: true);
            }
            double s = sw.Elapsed.TotalSeconds;
            File.Delete(path);

            // 2. Around the page cache (O_DIRECT), as Lockstep's puller lands big files, then one fsync: the
            // disk's own limit when fresh page-cache pages cost more than the disk (as on this VM).
            double direct = -1;
            sw.Restart();
            using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                RandomAccess.SetLength(handle, bytes);
                using var d = Lockstep.FileSystem.Native.DirectFile.TryOpen(path);
                if (d is not null)
                {
                    long written = 0;
                    for (int i = 0; written < bytes; i++)
                    {
                        var b = blocks[i % blocks.Length];
                        int n = (int)Math.Min(b.Length, bytes - written);
                        if (!d.Fits(written, n) || !d.TryWrite(b.AsSpan(0, n), written))
                            RandomAccess.Write(handle, b.AsSpan(0, n), written);
                        written += n;
                    }
                    RandomAccess.FlushToDisk(handle);
                    direct = sw.Elapsed.TotalSeconds;
                }
            }
            string directText = direct > 0 ? $"{bytes / 1e6 / direct:F1} MB/s" : "not offered by this file system";
            Console.WriteLine($"disk-write: {bytes / 1e6:F1} MB written in {blockKiB} KiB writes and fsynced in {s:F3} s = {bytes / 1e6 / s:F1} MB/s; " +
                $"O_DIRECT: {directText} ({dir})");
            Console.WriteLine(BenchOutput.Result(("bytes", bytes), ("seconds", s), ("mb_per_s", bytes / 1e6 / s),
                ("direct_mb_per_s", direct > 0 ? bytes / 1e6 / direct : -1)));
            return 0;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
