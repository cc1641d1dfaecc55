namespace Lockstep.Sync.Exchange;

/// <summary>
/// One message's worth of our index for a peer. <see cref="IsIndex"/> marks a BEP Index (the peer drops
/// everything it holds from us for the folder first); otherwise it is an IndexUpdate (add or replace).
/// </summary>
public sealed record IndexBatch(string FolderId, bool IsIndex, IReadOnlyList<FileInfo> Files);
