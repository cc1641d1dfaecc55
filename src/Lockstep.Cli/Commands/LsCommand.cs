using System.CommandLine;
using System.Globalization;
using Lockstep.Contracts;
using Lockstep.Index;
using Lockstep.Node.Home;
using Lockstep.Protocol.Messages;

namespace Lockstep.Cli.Commands;

/// <summary>`lockstep ls`: the local index of a folder (or of one path and what is below it).</summary>
internal static class LsCommand
{
    public static Command Create()
    {
        var home = CommonOptions.Home();
        var folder = new Argument<string>("FOLDERID") { Description = "The folder" };
        var path = new Argument<string?>("PATH") { Description = "A path in the folder (default: everything)", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var command = new Command("ls", "List a folder's index entries") { home, folder, path, json };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var nodeHome = NodeHome.Resolve(parse.GetValue(home));
            var config = ConfigEditor.Read(nodeHome);
            var folderId = parse.GetValue(folder)!;
            ConfigEditor.RequireFolder(config, nodeHome, folderId);
            if (!File.Exists(nodeHome.IndexPath))
                throw new CliException(ExitCodes.Failure, $"no index yet at {nodeHome.IndexPath}; run: lockstep scan --home {nodeHome.Path} {folderId}");
            using var index = IndexDatabase.Open(nodeHome.IndexPath);
            var prefix = parse.GetValue(path)?.Trim('/');
            var entries = index.Folder(folderId).EnumerateLocal(string.IsNullOrEmpty(prefix) ? null : prefix).Select(ToEntry).ToList();
            if (prefix is { Length: > 0 } && entries.Count == 0)
                throw new CliException(ExitCodes.Failure, $"'{prefix}' is not in the index of folder '{folderId}'");
            return Output.Rows(entries, parse.GetValue(json), ContractsJsonContext.Default.ListIndexEntry,
                ["NAME", "TYPE", "SIZE", "MODIFIED", "PERM", "SEQ", "FLAGS", "VERSION"],
                e => new[]
                {
                    e.Name, e.Type, e.Size.ToString(CultureInfo.InvariantCulture), e.Modified, e.Permissions,
                    e.Sequence.ToString(CultureInfo.InvariantCulture),
                    (e.Deleted ? "deleted " : "") + (e.Invalid ? "invalid" : ""),
                    string.Join(",", e.Version.Select(v => $"{v.Id}:{v.Value}")),
                });
        }));
        return command;
    }

    internal static IndexEntry ToEntry(Lockstep.Protocol.Messages.FileInfo f) => new(
        f.Name,
        f.Type switch
        {
            FileInfoType.Directory => "directory",
            FileInfoType.Symlink or FileInfoType.SymlinkFile or FileInfoType.SymlinkDirectory => "symlink",
            _ => "file",
        },
        f.Size,
        Rfc3339(f.ModifiedS, f.ModifiedNs),
        Convert.ToString(f.Permissions, 8).PadLeft(4, '0'),
        f.Deleted,
        f.Invalid,
        f.Sequence,
        f.Version.Counters.Select(c => new VersionCounter(c.Id.ToString(), c.Value)).ToList(),
        f.BlockSize,
        f.Blocks.Length);

    /// <summary>RFC 3339 in UTC with all nine digits of nanoseconds, e.g. 2026-11-21T12:57:55.123456789Z.</summary>
    internal static string Rfc3339(long seconds, int nanoseconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) +
        "." + nanoseconds.ToString("D9", CultureInfo.InvariantCulture) + "Z";
}
