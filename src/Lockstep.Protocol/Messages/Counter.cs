using Lockstep.Protocol.Identity;

namespace Lockstep.Protocol.Messages;

/// <summary>One device's counter in a version vector.</summary>
public readonly record struct Counter(ShortId Id, ulong Value);
