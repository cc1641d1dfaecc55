using System.Collections.Immutable;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// Value equality for the collection and byte members of the message records: ImmutableArray and arrays
/// compare by reference, which would make two decodes of the same bytes unequal.
/// </summary>
internal static class RecordEquality
{
    public static bool Items<T>(ImmutableArray<T> a, ImmutableArray<T> b) =>
        a.IsDefaultOrEmpty ? b.IsDefaultOrEmpty : !b.IsDefault && a.AsSpan().SequenceEqual(b.AsSpan());

    public static bool Bytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);

    public static int Count<T>(ImmutableArray<T> items) => items.IsDefault ? 0 : items.Length;
}
