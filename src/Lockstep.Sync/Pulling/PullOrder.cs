namespace Lockstep.Sync.Pulling;

/// <summary>The order files are pulled in, as Syncthing's folder option <c>order</c> names them.</summary>
public enum PullOrder
{
    Random,
    Alphabetic,
    SmallestFirst,
    LargestFirst,
    OldestFirst,
    NewestFirst,
}
