using System.IO.Pipelines;

namespace Lockstep.Testing;

/// <summary>One end of an in-memory connection: reads what the other end wrote, and vice versa.</summary>
public sealed class DuplexPipeStream(Stream input, Stream output) : Stream
{
    public static (DuplexPipeStream A, DuplexPipeStream B) CreatePair()
    {
        var aToB = new Pipe();
        var bToA = new Pipe();
        return (new DuplexPipeStream(bToA.Reader.AsStream(), aToB.Writer.AsStream()),
                new DuplexPipeStream(aToB.Reader.AsStream(), bToA.Writer.AsStream()));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        input.ReadAsync(buffer, cancellationToken);

    private int _writes;

    /// <summary>How many writes this end made (each would be a TLS record and a syscall on a real connection).</summary>
    public int Writes => Volatile.Read(ref _writes);

    public override void Write(byte[] buffer, int offset, int count)
    {
        Interlocked.Increment(ref _writes);
        output.Write(buffer, offset, count);
    }

    /// <summary>Awaited after each asynchronous write has reached the other end, before the writer hears it is done (to order races in tests).</summary>
    public Func<Task>? AfterWrite { get; set; }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        await output.WriteAsync(buffer, cancellationToken);
        if (AfterWrite is { } after)
        {
            await output.FlushAsync(cancellationToken);
            await after();
        }
    }

    public override void Flush() => output.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Ends the stream the other side reads: it sees end of stream after what was written.</summary>
    public void CompleteWriting() => output.Dispose();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Dispose();
            output.Dispose();
        }
        base.Dispose(disposing);
    }
}
