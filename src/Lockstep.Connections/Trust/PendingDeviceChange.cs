namespace Lockstep.Connections.Trust;

/// <summary>One change to <see cref="PendingDevices"/>; <see cref="Device"/> is the entry after the change (before, for Removed).</summary>
public sealed record PendingDeviceChange(PendingChangeKind Kind, PendingDevice Device);
