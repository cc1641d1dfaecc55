using Lockstep.Contracts.Rest;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Global;

namespace Lockstep.Node.Api;

/// <summary>A folder as /rest/db/status and the FolderSummary event show it, with Syncthing's names.</summary>
internal static class FolderStatusView
{
    public static string StateName(FolderState state) => state switch
    {
        FolderState.Idle => "idle",
        FolderState.Scanning => "scanning",
        FolderState.Syncing => "syncing",
        FolderState.Paused => "paused",
        _ => "error",
    };

    public static DbStatus Of(FolderRunner runner, FolderSummary s)
    {
        return new DbStatus
        {
            GlobalFiles = s.Global.Files, GlobalDirectories = s.Global.Directories, GlobalSymlinks = s.Global.Symlinks,
            GlobalDeleted = s.Global.Deleted, GlobalBytes = s.Global.Bytes, GlobalTotalItems = s.Global.Total + s.Global.Deleted,
            LocalFiles = s.Local.Files, LocalDirectories = s.Local.Directories, LocalSymlinks = s.Local.Symlinks,
            LocalDeleted = s.Local.Deleted, LocalBytes = s.Local.Bytes, LocalTotalItems = s.Local.Total + s.Local.Deleted,
            NeedFiles = s.Need.Files, NeedDirectories = s.Need.Directories, NeedSymlinks = s.Need.Symlinks,
            NeedDeletes = s.Need.Deleted, NeedBytes = s.Need.Bytes, NeedTotalItems = s.Need.Total + s.Need.Deleted,
            InSyncFiles = s.Global.Files - s.Need.Files, InSyncBytes = s.Global.Bytes - s.Need.Bytes,
            PullErrors = runner.PullErrors.Count, Errors = runner.PullErrors.Count,
            State = StateName(runner.State), StateChanged = runner.StateChangedAt,
            Error = runner.PausedReason ?? runner.Error ?? "", Sequence = s.Sequence, Version = s.Sequence,
            IgnorePatterns = runner.Ignores.Patterns.Count > 0,
        };
    }
}
