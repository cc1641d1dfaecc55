namespace Lockstep.Sync.Exchange;

/// <summary>
/// What applying a peer's Index or IndexUpdate did: how many entries it carried, and the highest sequence now
/// received from that device for the folder (compare it with the max sequence the peer announced for itself in
/// its ClusterConfig to tell when its initial index is complete, bep-v1.md §5.3).
/// </summary>
public readonly record struct IndexReceipt(int Files, long MaxSequence);
