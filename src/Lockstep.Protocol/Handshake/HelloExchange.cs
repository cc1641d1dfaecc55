using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Handshake;

/// <summary>
/// The Hello exchange right after the TLS handshake (bep-v1.md §2). Like Syncthing, we write ours first and
/// then read theirs, so two peers can never wait on each other; the whole exchange has one deadline
/// (Syncthing's is 20 s). Authorization of the peer comes after, whatever its Hello says.
/// </summary>
public static class HelloExchange
{
    /// <summary>Syncthing gives up 20 s after TLS if no Hello arrived.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Sends our Hello and returns the peer's, within <see cref="DefaultTimeout"/>.</summary>
    public static Task<Hello> ExchangeAsync(Stream stream, Hello ours, CancellationToken cancellationToken = default) =>
        ExchangeAsync(stream, ours, DefaultTimeout, TimeProvider.System, cancellationToken);

    /// <summary>
    /// Sends our Hello and returns the peer's. Throws <see cref="ProtocolException"/> with HelloTimeout when
    /// the deadline passes first (measured on <paramref name="timeProvider"/>), BadMagic / HelloTooLarge /
    /// Malformed for a bad Hello, UnexpectedEndOfStream if the peer hangs up; cancelling
    /// <paramref name="cancellationToken"/> throws OperationCanceledException as usual.
    /// </summary>
    public static async Task<Hello> ExchangeAsync(
        Stream stream, Hello ours, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await WriteAsync(stream, ours, linked.Token).ConfigureAwait(false);
            return await ReadAsync(stream, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw ProtocolErrors.HelloTimeout(timeout);
        }
    }

    /// <summary>Writes our Hello (magic, length, body) in one write and flushes it.</summary>
    public static async Task WriteAsync(Stream stream, Hello ours, CancellationToken cancellationToken = default)
    {
        var frame = HelloCodec.Encode(ours);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the peer's Hello, checking the magic before the length and the length before the body.</summary>
    public static async Task<Hello> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var prefix = new byte[HelloCodec.MagicLength + HelloCodec.LengthLength];
        await ReadExactlyAsync(stream, prefix.AsMemory(0, HelloCodec.MagicLength), cancellationToken).ConfigureAwait(false);
        HelloCodec.CheckMagic(prefix.AsSpan(0, HelloCodec.MagicLength));
        await ReadExactlyAsync(stream, prefix.AsMemory(HelloCodec.MagicLength), cancellationToken).ConfigureAwait(false);
        int length = HelloCodec.ReadBodyLength(prefix.AsSpan(HelloCodec.MagicLength));
        var body = new byte[length];
        await ReadExactlyAsync(stream, body, cancellationToken).ConfigureAwait(false);
        return HelloCodec.DecodeBody(body);
    }

    // WaitAsync backs up streams that ignore the token: the deadline still fires, and the caller, which
    // closes the connection on any error, ends the abandoned read.
    private static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw ProtocolErrors.EndOfStream("the Hello");
        }
    }
}
