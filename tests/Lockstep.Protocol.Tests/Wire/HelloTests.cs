using Lockstep.Testing;
using Lockstep.Protocol.Handshake;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class HelloTests
{
    // bep-v1.md §8, captured on loopback against Syncthing 1.19.2.
    private const string OurHelloHex = "2ea7d90b 0019 0a0570726f6265 120862657070726f6265 1a0676302e302e31";
    private const string SyncthingHelloHex = "2ea7d90b 001c 0a02766d 120973796e637468696e67 1a0b76312e31392e322d647331";

    [Fact]
    public void Our_hello_encodes_to_the_captured_bytes()
    {
        var bytes = HelloCodec.Encode(new Hello("probe", "bepprobe", "v0.0.1"));
        Assert.Equal(Hex.Of(Hex.Bytes(OurHelloHex)), Hex.Of(bytes));
    }

    [Theory]
    [InlineData(OurHelloHex, "probe", "bepprobe", "v0.0.1")]
    [InlineData(SyncthingHelloHex, "vm", "syncthing", "v1.19.2-ds1")]
    public async Task Captured_hellos_decode(string hex, string deviceName, string clientName, string clientVersion)
    {
        var hello = await HelloExchange.ReadAsync(new MemoryStream(Hex.Bytes(hex)));
        Assert.Equal(new Hello(deviceName, clientName, clientVersion), hello);
    }

    [Fact]
    public async Task Unknown_fields_of_a_newer_hello_are_skipped()
    {
        // v1.25+ adds num_connections = 4 and timestamp = 5: 20 02 28 01 appended, length 0x1c + 4.
        var bytes = Hex.Bytes("2ea7d90b 0020 0a02766d 120973796e637468696e67 1a0b76312e31392e322d647331 2002 2801");
        var hello = await HelloExchange.ReadAsync(new MemoryStream(bytes));
        Assert.Equal(new Hello("vm", "syncthing", "v1.19.2-ds1"), hello);
    }

    [Theory]
    [InlineData("9f79bc40", "older version")]
    [InlineData("00010000", "older version")]
    [InlineData("00010001", "older version")]
    [InlineData("deadbeef", "unknown (newer?) version")]
    [InlineData("2ea7d90c", "unknown (newer?) version")]
    public async Task A_wrong_magic_is_refused_before_reading_on(string magicHex, string expected)
    {
        // Only the 4 magic bytes exist: reading the length would hit end of stream instead.
        var e = await Assert.ThrowsAsync<ProtocolException>(() => HelloExchange.ReadAsync(new MemoryStream(Hex.Bytes(magicHex))));
        Assert.Equal(ProtocolError.BadMagic, e.Error);
        Assert.Contains(expected, e.Message);
        Assert.Contains("0x" + magicHex.ToUpperInvariant(), e.Message);
    }

    [Theory]
    [InlineData("8000")]
    [InlineData("ffff")]
    public async Task An_oversize_length_is_refused_before_the_body(string lengthHex)
    {
        var e = await Assert.ThrowsAsync<ProtocolException>(
            () => HelloExchange.ReadAsync(new MemoryStream(Hex.Bytes("2ea7d90b" + lengthHex))));
        Assert.Equal(ProtocolError.HelloTooLarge, e.Error);
    }

    [Fact]
    public async Task The_largest_allowed_hello_is_read()
    {
        // tag 0a + 3-byte varint length + 32763 bytes = 32767.
        var name = new string('n', 32763);
        var frame = HelloCodec.Encode(new Hello(name, "", ""));
        Assert.Equal("7fff", Hex.Of(frame.AsSpan(4, 2)));
        var hello = await HelloExchange.ReadAsync(new MemoryStream(frame));
        Assert.Equal(name, hello.DeviceName);
    }

    [Fact]
    public void Our_hello_over_32767_bytes_is_never_sent()
    {
        Assert.Throws<ArgumentException>(() => HelloCodec.Encode(new Hello(new string('n', 32764), "", "")));
    }

    [Theory]
    [InlineData("2ea7d9")]
    [InlineData("2ea7d90b 00")]
    [InlineData("2ea7d90b 0019 0a0570726f")]
    public async Task A_truncated_hello_is_an_unexpected_end_of_stream(string hex)
    {
        var e = await Assert.ThrowsAsync<ProtocolException>(() => HelloExchange.ReadAsync(new MemoryStream(Hex.Bytes(hex))));
        Assert.Equal(ProtocolError.UnexpectedEndOfStream, e.Error);
    }

    [Fact]
    public async Task A_garbage_body_is_malformed()
    {
        var e = await Assert.ThrowsAsync<ProtocolException>(
            () => HelloExchange.ReadAsync(new MemoryStream(Hex.Bytes("2ea7d90b 0003 0a0561"))));
        Assert.Equal(ProtocolError.Malformed, e.Error);
    }

    [Fact]
    public async Task Both_sides_exchange_hellos()
    {
        var (a, b) = DuplexPipeStream.CreatePair();
        var ours = new Hello("lockstep-a", "lockstep", "v0.1.0");
        var theirs = new Hello("", "syncthing", "v1.19.2-ds1");

        // WaitAsync only bounds a regression (both sides reading first would deadlock); it never delays a pass.
        var results = await Task.WhenAll(HelloExchange.ExchangeAsync(a, ours), HelloExchange.ExchangeAsync(b, theirs))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(theirs, results[0]);
        Assert.Equal(ours, results[1]);
    }

    [Fact]
    public async Task Ours_is_written_before_theirs_is_awaited()
    {
        var (a, b) = DuplexPipeStream.CreatePair();
        using var cts = new CancellationTokenSource();
        var exchange = HelloExchange.ExchangeAsync(a, new Hello("probe", "bepprobe", "v0.0.1"), cts.Token);

        // The peer only reads; our Hello must arrive anyway, byte for byte.
        var received = new byte[Hex.Bytes(OurHelloHex).Length];
        await b.ReadExactlyAsync(received).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Hex.Of(Hex.Bytes(OurHelloHex)), Hex.Of(received));
        Assert.False(exchange.IsCompleted);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exchange);
    }

    [Fact]
    public async Task A_silent_peer_times_out_at_the_deadline()
    {
        var (a, _) = DuplexPipeStream.CreatePair();
        var time = new ManualTimeProvider();
        var exchange = HelloExchange.ExchangeAsync(a, new Hello("a", "lockstep", "v0"), HelloExchange.DefaultTimeout, time);

        time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(exchange.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<ProtocolException>(() => exchange);
        Assert.Equal(ProtocolError.HelloTimeout, e.Error);
        Assert.Contains("20 s", e.Message);
    }

    [Fact]
    public async Task A_peer_that_hangs_up_is_an_unexpected_end_of_stream()
    {
        var (a, b) = DuplexPipeStream.CreatePair();
        b.CompleteWriting();
        var e = await Assert.ThrowsAsync<ProtocolException>(() => HelloExchange.ExchangeAsync(a, new Hello("a", "l", "v")));
        Assert.Equal(ProtocolError.UnexpectedEndOfStream, e.Error);
    }
}
