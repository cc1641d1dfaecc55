namespace Lockstep.Sync.Folders;

/// <summary>Work for a folder runner's loop. Public methods of the runner only enqueue these.</summary>
internal abstract record FolderCommand
{
    /// <summary>Scan everything (Paths null) or some paths; Done completes with the summary.</summary>
    public sealed record Scan(IReadOnlyCollection<string>? Paths, TaskCompletionSource<ScanSummary>? Done, bool Force = false) : FolderCommand;

    /// <summary>Bring the folder to the global state (the peers' announcements changed, or a retry is due).</summary>
    public sealed record Pull : FolderCommand;

    /// <summary>Stop scanning and pulling until resumed; Reason says why (a person, or the delete limit).</summary>
    public sealed record Pause(string Reason, TaskCompletionSource? Done) : FolderCommand;

    /// <summary>Send-only: publish the local state as the newest (Done gets what was done).</summary>
    public sealed record Override(TaskCompletionSource<string> Done) : FolderCommand;

    /// <summary>Receive-only: undo the local changes so the global state is pulled back (Done gets what was done).</summary>
    public sealed record Revert(TaskCompletionSource<string> Done) : FolderCommand;

    /// <summary>Work on the folder's files that must not overlap a scan or a pull (a restore, a cleanup).</summary>
    public sealed record InLoop(Action Work) : FolderCommand;

    /// <summary>Go on; AllowDeletes lets the next pull pass the mass-delete limit once.</summary>
    public sealed record Resume(bool AllowDeletes, TaskCompletionSource? Done) : FolderCommand;
}
