namespace Lockstep.Testing;

/// <summary>A folder's <c>type</c> attribute.</summary>
public enum SyncthingFolderType
{
    SendReceive,
    SendOnly,
    ReceiveOnly,
    ReceiveEncrypted,
}

/// <summary>A folder's pull <c>order</c>; <see cref="Alphabetic"/> makes pulls deterministic.</summary>
public enum SyncthingPullOrder
{
    Random,
    Alphabetic,
    SmallestFirst,
    LargestFirst,
    OldestFirst,
    NewestFirst,
}

/// <summary>
/// A device's <c>compression</c>: what Syncthing compresses when sending <em>to</em> that device (bep-v1.md §7).
/// </summary>
public enum SyncthingCompression
{
    Never,
    Metadata,
    Always,
}

/// <summary>The spellings Syncthing uses in config.xml and in its REST config objects.</summary>
public static class SyncthingNames
{
    public static string Of(SyncthingFolderType type) => type switch
    {
        SyncthingFolderType.SendReceive => "sendreceive",
        SyncthingFolderType.SendOnly => "sendonly",
        SyncthingFolderType.ReceiveOnly => "receiveonly",
        SyncthingFolderType.ReceiveEncrypted => "receiveencrypted",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Of(SyncthingPullOrder order) => order switch
    {
        SyncthingPullOrder.Random => "random",
        SyncthingPullOrder.Alphabetic => "alphabetic",
        SyncthingPullOrder.SmallestFirst => "smallestFirst",
        SyncthingPullOrder.LargestFirst => "largestFirst",
        SyncthingPullOrder.OldestFirst => "oldestFirst",
        SyncthingPullOrder.NewestFirst => "newestFirst",
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, null),
    };

    public static string Of(SyncthingCompression compression) => compression switch
    {
        SyncthingCompression.Never => "never",
        SyncthingCompression.Metadata => "metadata",
        SyncthingCompression.Always => "always",
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };
}
