using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Connection;

/// <summary>What the write loop takes from its queue: a message, or the Close that ends the connection.</summary>
internal abstract record OutboxItem
{
    public sealed record Message(BepMessage Value) : OutboxItem;

    public sealed record CloseThenStop(string Reason, TaskCompletionSource Sent) : OutboxItem;
}
