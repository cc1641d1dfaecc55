using System.Buffers;

namespace Lockstep.Protocol.Tests.Wire;

/// <summary>Builds multi-segment sequences, the shape a PipeReader hands out when data arrived in pieces.</summary>
internal static class Sequences
{
    public static ReadOnlySequence<byte> Of(byte[] data, int segmentLength)
    {
        if (data.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        Segment? first = null, last = null;
        for (int i = 0; i < data.Length; i += segmentLength)
        {
            var memory = data.AsMemory(i, Math.Min(segmentLength, data.Length - i));
            if (last is null)
                first = last = new Segment(memory, 0);
            else
                last = last.Append(memory);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
