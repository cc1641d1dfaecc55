// bep-throughput: loopback throughput of three layers side by side, in ONE process and run interleaved (run r of
// each layer back to back, so load from elsewhere hits all three alike), plus connection setup time.
//
//   1. raw TCP      one sender writing 128 KiB buffers, one receiver reading them, N bytes
//   2. TLS 1.3      the same over Lockstep's own TLS layer (TlsListener / TlsDialer, SslStream underneath)
//   3. BEP blocks   on a fresh TLS pair: Hello both ways, a PeerConnection each side; the requester keeps up to
//                   256 x 128 KiB Requests in flight (Syncthing's 32 MiB) and checks the SHA-256 of every block;
//                   the server answers through Lockstep.Sync.Exchange.RequestServer from a real, indexed file
//                   (--dir D holding big.bin) or, without --dir, from an in-memory buffer of random blocks
//   4. setup        TCP connect + TLS handshake + Hello exchange + ClusterConfig received on both sides
//
// Each layer's time runs from the first byte sent to the last byte received (connection setup excluded).
// CPU s/GB is this process's user+system CPU over the timed part per GB moved: both ends are in this process,
// so it is the cost of sending AND receiving. MB = 10^6 bytes.

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Lockstep.Connections.Tls;
using Lockstep.Connections.Trust;
using Lockstep.FileSystem.Ignore;
using Lockstep.Index;
using Lockstep.Protocol.Connection;
using Lockstep.Protocol.Handshake;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Exchange;
using Lockstep.Sync.Folders;

namespace Lockstep.Bench;

internal static class BlockThroughput
{
    public const string Usage = "bep-throughput [--mib 1024] [--runs 3] [--setups 50] [--in-flight 256] [--dir D] [--index-dir T] [--bep-only|--tls-only]";

    private const int BlockSize = 128 * 1024;
    private const string FolderId = "bench";
    private const string FileName = "big.bin";
    private static readonly ShortId Device = new(0x4C4F434B53544550);

    private sealed record Options(long Bytes, int Runs, int Setups, int InFlight, string? Dir, string IndexDir, bool BepOnly, bool TlsOnly);

    private readonly record struct Measure(double Seconds, double CpuSeconds, long Bytes, int Gen2, long AllocBytes)
    {
        public double MBps => Bytes / 1e6 / Seconds;
        public double CpuPerGB => CpuSeconds / (Bytes / 1e9);
        public double AllocPerMB => AllocBytes / (double)Bytes;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var o = Parse(args);
        using var certA = DeviceCertificate.Generate();
        using var certB = DeviceCertificate.Generate();
        var idA = DeviceCertificate.IdOf(certA);
        var idB = DeviceCertificate.IdOf(certB);
        // A listens and serves blocks; B dials and requests them.
        var listener = new TlsListener(new TlsOptions(certA), new PeerAuthenticator(idA, new StaticTrustPolicy([idB]), new PendingDevices()));
        await listener.StartAsync("tcp://127.0.0.1:0");
        var dialer = new TlsDialer(new TlsOptions(certB), new PeerAuthenticator(idB, new StaticTrustPolicy([idA]), new PendingDevices()));
        var address = $"tcp://127.0.0.1:{listener.LocalEndPoint.Port}";

        using var source = await BlockSource.OpenAsync(o);
        long blocks = o.Bytes / BlockSize;
        long bytes = blocks * BlockSize;
        Console.WriteLine($"bep-throughput: {bytes / (1024 * 1024)} MiB per run, {o.Runs} runs, 128 KiB buffers/blocks, " +
                          $"{o.InFlight} requests in flight ({o.InFlight * (long)BlockSize / (1024 * 1024)} MiB), {Environment.ProcessorCount} cores, " +
                          $"server GC {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine($"blocks served from: {source.Description}");

        // Untimed warm-up of each layer (page cache, JIT). Tiered compilation goes on in the background for seconds
        // after start and takes one of two cores while it does: with a short warm-up every layer's first runs came
        // out ~30% slower than its last. Warm until the runtime has nothing left to compile or 12 s have passed (new connections keep JIT-compiling a few methods, so usually the latter).
        long warm = Math.Min(bytes, 256L * 1024 * 1024);
        var warming = Stopwatch.StartNew();
        long compiled;
        do
        {
            compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await RawTcpAsync(warm);
            await TlsOnlyAsync(listener, dialer, idA, address, warm);
            await BepAsync(listener, dialer, idA, idB, address, source, warm / BlockSize, o.InFlight);
        } while (System.Runtime.JitInfo.GetCompiledMethodCount() != compiled && warming.Elapsed < TimeSpan.FromSeconds(12));
        Console.WriteLine($"warm-up: {warming.Elapsed.TotalSeconds:F1} s, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled");

        var tcp = new List<Measure>();
        var tls = new List<Measure>();
        var bep = new List<Measure>();
        if (o.TlsOnly)
        {
            // For profilers: only the TLS layer, to compare with --bep-only's profile.
            for (int run = 1; run <= o.Runs; run++)
                Console.WriteLine($"  run {run}: TLS {Line(await TlsOnlyAsync(listener, dialer, idA, address, bytes))}");
            await listener.DisposeAsync();
            return 0;
        }
        if (o.BepOnly)
        {
            // For profilers (perf record): only the BEP layer, no comparison and no RESULT line.
            for (int run = 1; run <= o.Runs; run++)
                Console.WriteLine($"  run {run}: BEP {Line(await BepAsync(listener, dialer, idA, idB, address, source, blocks, o.InFlight))}" +
                                  $" ({System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled, {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms JIT)");
            await listener.DisposeAsync();
            return 0;
        }
        for (int run = 1; run <= o.Runs; run++)
        {
            BenchOutput.Quiesce();
            tcp.Add(await RawTcpAsync(bytes));
            BenchOutput.Quiesce();
            tls.Add(await TlsOnlyAsync(listener, dialer, idA, address, bytes));
            BenchOutput.Quiesce();
            bep.Add(await BepAsync(listener, dialer, idA, idB, address, source, blocks, o.InFlight));
            Console.WriteLine($"  run {run}: TCP {Line(tcp[^1])} | TLS {Line(tls[^1])} | BEP {Line(bep[^1])}");
        }

        BenchOutput.Quiesce();
        var setups = new List<double>();
        for (int i = 0; i < o.Setups; i++)
            setups.Add(await SetupAsync(listener, dialer, idA, idB, address));
        setups.Sort();

        await listener.DisposeAsync();
        double shaCpuPerGB = ShaCostPerGB();

        double mTcp = Stats.Median(tcp.Select(m => m.MBps).ToList());
        double mTls = Stats.Median(tls.Select(m => m.MBps).ToList());
        double mBep = Stats.Median(bep.Select(m => m.MBps).ToList());
        double cTcp = Stats.Median(tcp.Select(m => m.CpuPerGB).ToList());
        double cTls = Stats.Median(tls.Select(m => m.CpuPerGB).ToList());
        double cBep = Stats.Median(bep.Select(m => m.CpuPerGB).ToList());
        double setup50 = Stats.Percentile(setups, 50), setup90 = Stats.Percentile(setups, 90);
        // Run r of each layer ran back to back, so the per-run ratio cancels most of this machine's drift between
        // runs (TLS alone swings between ~900 and ~1500 MB/s here from one run to the next).
        double pairedRatio = Stats.Median(tls.Zip(bep, (t, b) => b.MBps / t.MBps).ToList());
        // Both ends share this machine's cores and TLS keeps them busy, so no requester that checks SHA-256 on the
        // same cores can beat TLS's CPU cost over TLS's cost plus the check's: the best BEP/TLS any implementation
        // could reach here, were reading, framing and scheduling free.
        double ceiling = Stats.Median(tls.Select(t => t.CpuPerGB / (t.CpuPerGB + shaCpuPerGB)).ToList());
        Console.WriteLine($"median: TCP {mTcp:F0} MB/s, TLS {mTls:F0} MB/s, BEP {mBep:F0} MB/s; BEP/TLS {mBep / mTls:P1} (per-run pairs {pairedRatio:P1}), TLS/TCP {mTls / mTcp:P1}");
        Console.WriteLine($"ceiling for BEP/TLS with SHA-256 checked on these cores: {ceiling:P1} (TLS CPU / (TLS CPU + SHA-256 CPU))");
        Console.WriteLine($"CPU s per GB (both ends): TCP {cTcp:F2}, TLS {cTls:F2}, BEP {cBep:F2}");
        Console.WriteLine($"  of BEP's, SHA-256 verification of every block alone: {shaCpuPerGB:F2} CPU-s/GB (one core, in-memory, measured apart)");
        Console.WriteLine($"setup ({o.Setups}x TCP+TLS+Hello+ClusterConfig): p50 {setup50:F2} ms, p90 {setup90:F2} ms, max {setups[^1]:F2} ms");
        Console.WriteLine(BenchOutput.Result(
            ("bytes", bytes), ("runs", o.Runs), ("source", source.Kind),
            ("tcp_mb_s", mTcp), ("tls_mb_s", mTls), ("bep_mb_s", mBep),
            ("bep_over_tls", mBep / mTls), ("bep_over_tls_paired", pairedRatio), ("bep_over_tls_ceiling", ceiling), ("tls_over_tcp", mTls / mTcp),
            ("sha_cpu_s_per_gb", shaCpuPerGB), ("tcp_cpu_s_per_gb", cTcp), ("tls_cpu_s_per_gb", cTls), ("bep_cpu_s_per_gb", cBep),
            ("bep_gen2", Stats.Median(bep.Select(m => (double)m.Gen2).ToList())),
            ("bep_alloc_per_byte", Stats.Median(bep.Select(m => m.AllocPerMB).ToList())),
            ("tls_alloc_per_byte", Stats.Median(tls.Select(m => m.AllocPerMB).ToList())),
            ("setups", o.Setups), ("setup_p50_ms", setup50), ("setup_p90_ms", setup90), ("setup_max_ms", setups[^1]),
            ("tcp_runs", Join(tcp)), ("tls_runs", Join(tls)), ("bep_runs", Join(bep))));
        return 0;

        static string Line(Measure m) => $"{m.MBps,6:F0} MB/s {m.CpuPerGB,5:F2} CPU-s/GB";
        static string Join(List<Measure> ms) => string.Join(',', ms.Select(m => m.MBps.ToString("F0", CultureInfo.InvariantCulture)));
    }

    // ---------------------------------------------------------------- layers

    private static async Task<Measure> RawTcpAsync(long bytes)
    {
        using var listen = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listen.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listen.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listen.AcceptAsync();
        await client.ConnectAsync(listen.LocalEndPoint!);
        using var server = await accepting;
        await using var send = new NetworkStream(client, ownsSocket: false);
        await using var receive = new NetworkStream(server, ownsSocket: false);
        return await TimedAsync(bytes, () => PumpAsync(send, receive, bytes));
    }

    private static async Task<Measure> TlsOnlyAsync(TlsListener listener, TlsDialer dialer, DeviceId serverId, string address, long bytes)
    {
        var (server, client) = await ConnectPairAsync(listener, dialer, serverId, address);
        await using (server)
        await using (client)
            return await TimedAsync(bytes, () => PumpAsync(client.Stream, server.Stream, bytes));
    }

    private static async Task PumpAsync(Stream send, Stream receive, long bytes)
    {
        var writer = Task.Run(async () =>
        {
            var buffer = new byte[BlockSize];
            RandomNumberGenerator.Fill(buffer);
            for (long left = bytes; left > 0; left -= BlockSize)
                await send.WriteAsync(buffer.AsMemory(0, (int)Math.Min(BlockSize, left)));
            await send.FlushAsync();
        });
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[BlockSize];
            long got = 0;
            while (got < bytes)
            {
                int n = await receive.ReadAsync(buffer);
                if (n == 0)
                    throw new IOException($"the stream ended after {got} of {bytes} bytes");
                got += n;
            }
        });
        await Task.WhenAll(writer, reader);
    }

    private static async Task<Measure> BepAsync(TlsListener listener, TlsDialer dialer, DeviceId serverId, DeviceId clientId,
        string address, BlockSource source, long blocks, int inFlight)
    {
        var pair = await BepPair.OpenAsync(listener, dialer, serverId, clientId, address, source);
        try
        {
            return await TimedAsync(blocks * BlockSize, async () =>
            {
                using var slots = new SemaphoreSlim(inFlight);
                var failures = 0;
                string? firstFailure = null;
                var tasks = new List<Task>((int)Math.Min(blocks, 1 << 20));
                for (long i = 0; i < blocks; i++)
                {
                    await slots.WaitAsync();
                    var block = source.Block(i);
                    tasks.Add(RequestOneAsync(block));
                }
                await Task.WhenAll(tasks);
                if (failures > 0)
                    throw new InvalidOperationException($"{failures} of {blocks} blocks failed; first: {firstFailure}");

                async Task RequestOneAsync(BlockInfo block)
                {
                    try
                    {
                        using var response = await pair.Client.RequestAsync(new Request
                        {
                            Folder = FolderId, Name = FileName, Offset = block.Offset, Size = block.Size, Hash = block.Hash,
                        });
                        string? problem = response.Code != ErrorCode.NoError ? $"code {response.Code}"
                            : response.Data.Length != block.Size ? $"{response.Data.Length} bytes, expected {block.Size}"
                            : !HashMatches(response.Data.Span, block.Hash) ? "SHA-256 mismatch" : null;
                        if (problem is not null && Interlocked.Increment(ref failures) == 1)
                            firstFailure = $"block at {block.Offset}: {problem}";
                    }
                    finally
                    {
                        slots.Release();
                    }
                }
            });
        }
        finally
        {
            await pair.DisposeAsync();
        }
    }

    /// <summary>CPU seconds per GB of SHA256.HashData over 128 KiB blocks on one core (the requester's check).</summary>
    private static double ShaCostPerGB()
    {
        var data = new byte[64 * BlockSize];
        RandomNumberGenerator.Fill(data);
        Span<byte> hash = stackalloc byte[32];
        long done = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(1))
            for (int i = 0; i < 64; i++, done += BlockSize)
                SHA256.HashData(data.AsSpan(i * BlockSize, BlockSize), hash);
        return sw.Elapsed.TotalSeconds / (done / 1e9);
    }

    private static bool HashMatches(ReadOnlySpan<byte> data, byte[] expected)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return hash.SequenceEqual(expected);
    }

    private static async Task<double> SetupAsync(TlsListener listener, TlsDialer dialer, DeviceId serverId, DeviceId clientId, string address)
    {
        var sw = Stopwatch.StartNew();
        var pair = await BepPair.OpenAsync(listener, dialer, serverId, clientId, address, source: null);
        double ms = sw.Elapsed.TotalMilliseconds;
        await pair.DisposeAsync();
        return ms;
    }

    private static async Task<(SecureConnection Server, SecureConnection Client)> ConnectPairAsync(
        TlsListener listener, TlsDialer dialer, DeviceId serverId, string address)
    {
        var accepting = listener.AcceptAsync().AsTask();
        var client = await dialer.ConnectAsync(serverId, address);
        var server = await accepting;
        return (server, client);
    }

    private static async Task<Measure> TimedAsync(long bytes, Func<Task> body)
    {
        int gen2 = GC.CollectionCount(2);
        long alloc = GC.GetTotalAllocatedBytes(precise: false);
        var cpu0 = Proc.CpuTime();
        var sw = Stopwatch.StartNew();
        await body();
        double s = sw.Elapsed.TotalSeconds;
        return new Measure(s, (Proc.CpuTime() - cpu0).TotalSeconds, bytes, GC.CollectionCount(2) - gen2,
            GC.GetTotalAllocatedBytes(precise: false) - alloc);
    }

    // ---------------------------------------------------------------- BEP connection pair

    private sealed class BepPair : IAsyncDisposable
    {
        private SecureConnection _serverTls = null!, _clientTls = null!;
        private Task _serverRun = Task.CompletedTask, _clientRun = Task.CompletedTask;
        public PeerConnection Server { get; private set; } = null!;
        public PeerConnection Client { get; private set; } = null!;

        /// <summary>TCP + TLS + Hello both ways + PeerConnections running, returned once each side has the other's ClusterConfig.</summary>
        public static async Task<BepPair> OpenAsync(TlsListener listener, TlsDialer dialer, DeviceId serverId, DeviceId clientId,
            string address, BlockSource? source)
        {
            var pair = new BepPair();
            (pair._serverTls, pair._clientTls) = await ConnectPairAsync(listener, dialer, serverId, address);
            var hello = new Hello("bench", "lockstep-bench", "0");
            var serverHello = HelloExchange.ExchangeAsync(pair._serverTls.Stream, hello);
            var clientHello = HelloExchange.ExchangeAsync(pair._clientTls.Stream, hello);
            await Task.WhenAll(serverHello, clientHello);
            var serverHandler = new Handler(source);
            var clientHandler = new Handler(null);
            var cc = new ClusterConfig();
            pair.Server = new PeerConnection(pair._serverTls.Stream, clientId, cc, serverHandler,
                new PeerConnectionOptions { Compression = CompressionMode.Never });
            pair.Client = new PeerConnection(pair._clientTls.Stream, serverId, cc, clientHandler,
                new PeerConnectionOptions { Compression = CompressionMode.Never });
            pair._serverRun = pair.Server.RunAsync();
            pair._clientRun = pair.Client.RunAsync();
            await Task.WhenAll(serverHandler.GotClusterConfig.Task, clientHandler.GotClusterConfig.Task).WaitAsync(TimeSpan.FromSeconds(30));
            return pair;
        }

        public async ValueTask DisposeAsync()
        {
            await Client.CloseAsync("done");
            await Task.WhenAll(_clientRun, _serverRun).WaitAsync(TimeSpan.FromSeconds(30));
            await _clientTls.DisposeAsync();
            await _serverTls.DisposeAsync();
        }
    }

    private sealed class Handler(BlockSource? source) : IPeerMessageHandler
    {
        public TaskCompletionSource GotClusterConfig { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask OnClusterConfigAsync(PeerConnection connection, ClusterConfig config, CancellationToken cancellationToken)
        {
            GotClusterConfig.TrySetResult();
            return ValueTask.CompletedTask;
        }

        public ValueTask OnIndexAsync(PeerConnection connection, IndexMessage index, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<Response> OnRequestAsync(PeerConnection connection, Request request, CancellationToken cancellationToken) =>
            source is null ? ValueTask.FromResult(new Response { Code = ErrorCode.Generic }) : source.ServeAsync(request, cancellationToken);

        public ValueTask OnDownloadProgressAsync(PeerConnection connection, DownloadProgress progress, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;

        public void OnClosed(PeerConnection connection, string reason)
        {
        }
    }

    // ---------------------------------------------------------------- where the blocks come from

    private sealed class BlockSource : IDisposable
    {
        private readonly BlockInfo[] _blocks;
        private readonly RequestServer? _server;
        private readonly byte[]? _memory;
        private readonly IDisposable? _owned;

        private BlockSource(BlockInfo[] blocks, RequestServer? server, byte[]? memory, IDisposable? owned, string kind, string description)
        {
            _blocks = blocks;
            _server = server;
            _memory = memory;
            _owned = owned;
            Kind = kind;
            Description = description;
        }

        public string Kind { get; }
        public string Description { get; }

        /// <summary>The i-th block requested: the source's blocks cycled through as often as the run needs.</summary>
        public BlockInfo Block(long i) => _blocks[i % _blocks.Length];

        public ValueTask<Response> ServeAsync(Request request, CancellationToken cancellationToken)
        {
            if (_server is not null)
                return _server.ServeAsync(request, cancellationToken);
            return ValueTask.FromResult(new Response { Data = _memory.AsMemory((int)request.Offset, request.Size) });
        }

        public static async Task<BlockSource> OpenAsync(Options o)
        {
            if (o.Dir is null)
            {
                const int n = 512; // 64 MiB of random blocks
                var memory = new byte[n * BlockSize];
                RandomNumberGenerator.Fill(memory);
                var blocks = Enumerable.Range(0, n)
                    .Select(i => new BlockInfo((long)i * BlockSize, BlockSize, SHA256.HashData(memory.AsSpan(i * BlockSize, BlockSize))))
                    .ToArray();
                return new BlockSource(blocks, null, memory, null, "memory",
                    $"an in-memory buffer of {n} random 128 KiB blocks (handler returns a slice; no RequestServer, no disk)");
            }

            var dir = Path.GetFullPath(o.Dir);
            if (!File.Exists(Path.Combine(dir, FileName)))
                throw new UsageException($"--dir {dir} holds no {FileName}");
            if (FolderMarker.Check(dir) is not null)
                FolderMarker.Create(dir);
            var scratch = new ScratchDir(o.IndexDir);
            var db = IndexDatabase.Open(Path.Combine(scratch.Path, "index.db"));
            var index = db.Folder(FolderId);
            var settings = new FolderSettings { Id = FolderId, Path = dir, LocalDevice = Device, WatcherEnabled = false, RescanInterval = TimeSpan.FromDays(1) };
            var sw = Stopwatch.StartNew();
            await new LocalScan(settings, index).RunAsync(null);
            var file = index.GetLocal(FileName) ?? throw new InvalidOperationException($"the scan did not index {FileName}");
            var fileBlocks = file.Blocks.ToArray();
            if (fileBlocks.Any(b => b.Size != BlockSize))
                Console.WriteLine($"WARNING: {FileName} was indexed with {fileBlocks[0].Size}-byte blocks, not 128 KiB: requests follow the index");
            // warm the page cache so the runs measure the exchange, not the disk
            using (var f = File.OpenRead(Path.Combine(dir, FileName)))
                f.CopyTo(Stream.Null, 1 << 20);
            var server = new RequestServer(dir, index, () => IgnoreMatcher.Empty,
                name => Console.WriteLine($"WARNING: RequestServer asked for a rescan of {name}"));
            return new BlockSource(fileBlocks, server, null, new Owned(db, scratch), "file",
                $"{dir}/{FileName} ({file.Size / (1024 * 1024)} MiB, {fileBlocks.Length} blocks, indexed by LocalScan in {sw.Elapsed.TotalSeconds:F1} s, " +
                "page cache warm) through Lockstep.Sync.Exchange.RequestServer; cycled through as often as a run needs");
        }

        public void Dispose() => _owned?.Dispose();

        private sealed class Owned(IndexDatabase db, ScratchDir scratch) : IDisposable
        {
            public void Dispose()
            {
                db.Dispose();
                scratch.Dispose();
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    private static Options Parse(string[] args)
    {
        long mib = 1024;
        int runs = 3, setups = 50, inFlight = 256;
        string? dir = null;
        bool bepOnly = false, tlsOnly = false;
        string indexDir = Path.Combine(Environment.GetEnvironmentVariable("BENCH_DIR") is { Length: > 0 } b ? b : "/tmp/lockstep-bench", "tmp");
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
            switch (args[i])
            {
                case "--mib": mib = Int(); break;
                case "--runs": runs = Int(); break;
                case "--setups": setups = Int(); break;
                case "--in-flight": inFlight = Int(); break;
                case "--dir": dir = Value(); break;
                case "--bep-only": bepOnly = true; break;
                case "--tls-only": tlsOnly = true; break;
                case "--index-dir": indexDir = Path.GetFullPath(Value()); break;
                default: throw new UsageException($"unknown option '{args[i]}'");
            }
        }
        return new Options(mib * 1024 * 1024, runs, setups, inFlight, dir, indexDir, bepOnly, tlsOnly);
    }

}
