namespace Lockstep.Sync.Folders;

/// <summary>Work for a folder runner's loop. Public methods of the runner only enqueue these.</summary>
internal abstract record FolderCommand
{
    /// <summary>Scan everything (Paths null) or some paths; Done completes with the summary.</summary>
    public sealed record Scan(IReadOnlyCollection<string>? Paths, TaskCompletionSource<ScanSummary>? Done) : FolderCommand;
}
