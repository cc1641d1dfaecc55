using Lockstep.Index.Queries;
using Lockstep.Index.Storage;
using Lockstep.Protocol.Identity;

namespace Lockstep.Index;

// What peers announced for this folder: their files, index IDs and how far we have received them.
public sealed partial class FolderIndex
{
    /// <summary>
    /// A BEP Index from <paramref name="device"/>: drops every file it announced for this folder, then stores
    /// these (a later entry with the same name wins). The max sequence received becomes the highest sequence
    /// among them (0 for an empty list). One transaction.
    /// </summary>
    public void ReplaceRemote(DeviceId device, IReadOnlyList<FileInfo> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        ValidateNames(files, nameof(files));
        var deviceId = device.Bytes.ToArray();
        _store.Write(scope =>
        {
            long deviceIdx = RequireRemoteState(scope, deviceId);
            scope.Command(RemoteQueries.DeleteFiles).Set("$folder", _folderIdx).Set("$device", deviceIdx).ExecuteNonQuery();
            long max = UpsertRemote(scope, deviceIdx, files);
            SetRemoteMaxSequence(scope, deviceIdx, max);
        });
    }

    /// <summary>
    /// A BEP IndexUpdate from <paramref name="device"/>: stores these files, replacing its earlier entries of the
    /// same names. The max sequence received only grows. One transaction; an empty list changes nothing.
    /// </summary>
    public void UpdateRemote(DeviceId device, IReadOnlyList<FileInfo> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        ValidateNames(files, nameof(files));
        if (files.Count == 0)
            return;
        var deviceId = device.Bytes.ToArray();
        _store.Write(scope =>
        {
            long deviceIdx = RequireRemoteState(scope, deviceId);
            long max = UpsertRemote(scope, deviceIdx, files);
            var (_, current) = RemoteState(scope, deviceIdx);
            if (max > current)
                SetRemoteMaxSequence(scope, deviceIdx, max);
        });
    }

    /// <summary>The device's entry for a name as it last announced it, or null.</summary>
    public FileInfo? GetRemote(DeviceId device, string name) =>
        _store.QueryFirst(RemoteQueries.Get,
            c => c.Set("$folder", _folderIdx).Set("$device_id", device.Bytes.ToArray()).Set("$name", name), ReadFile, null);

    /// <summary>Every entry the device announced for this folder, ordered by name, streaming.</summary>
    public IEnumerable<FileInfo> EnumerateRemote(DeviceId device)
    {
        var deviceId = device.Bytes.ToArray();
        return _store.Query(RemoteQueries.All, c => c.Set("$folder", _folderIdx).Set("$device_id", deviceId), ReadFile);
    }

    /// <summary>The headers of the device's entries (as <see cref="EnumerateLocalHeaders"/>), ordered by name, streaming.</summary>
    public IEnumerable<FileInfo> EnumerateRemoteHeaders(DeviceId device)
    {
        var deviceId = device.Bytes.ToArray();
        return _store.Query(RemoteQueries.AllHeaders, c => c.Set("$folder", _folderIdx).Set("$device_id", deviceId), r => FileColumns.ReadHeader(r, _store.Path));
    }

    /// <summary>The device's announced index ID (0 until it announces one) and the highest sequence received from it (0 when none).</summary>
    public (ulong IndexId, long MaxSequence) GetRemoteState(DeviceId device) =>
        _store.QueryFirst(RemoteQueries.State,
            c => c.Set("$folder", _folderIdx).Set("$device_id", device.Bytes.ToArray()),
            r => (r.GetUInt64(0), r.GetInt64(1)), (0UL, 0L));

    /// <summary>
    /// Records the index ID the device announced for this folder (ClusterConfig). If it differs from the one
    /// stored, the device's numbering restarted: its files are dropped and its max sequence goes back to 0, in
    /// the same transaction. The same ID again changes nothing.
    /// </summary>
    public void SetRemoteIndexId(DeviceId device, ulong indexId)
    {
        var deviceId = device.Bytes.ToArray();
        _store.Write(scope =>
        {
            long deviceIdx = RequireRemoteState(scope, deviceId);
            if (RemoteState(scope, deviceIdx).IndexId == indexId)
                return;
            scope.Command(RemoteQueries.DeleteFiles).Set("$folder", _folderIdx).Set("$device", deviceIdx).ExecuteNonQuery();
            scope.Command(RemoteQueries.SetState).Set("$folder", _folderIdx).Set("$device", deviceIdx)
                .SetUInt64("$index_id", indexId).Set("$max_sequence", 0L).ExecuteNonQuery();
        });
    }

    /// <summary>The devices that announced an index ID or files for this folder, in device ID byte order.</summary>
    public IReadOnlyList<DeviceId> RemoteDevices() =>
        _store.Query(RemoteQueries.Devices, BindFolder, r => new DeviceId(r.GetFieldValue<byte[]>(0))).ToList();

    /// <summary>Makes sure the device and its state row for this folder exist; returns the device's idx.</summary>
    private long RequireRemoteState(WriteScope scope, byte[] deviceId)
    {
        RequireFolder(scope);
        scope.Command(RemoteQueries.InsertDevice).Set("$device_id", deviceId).ExecuteNonQuery();
        long deviceIdx = (long)scope.Command(RemoteQueries.DeviceIdx).Set("$device_id", deviceId).ExecuteScalar()!;
        scope.Command(RemoteQueries.EnsureState).Set("$folder", _folderIdx).Set("$device", deviceIdx).ExecuteNonQuery();
        return deviceIdx;
    }

    private (ulong IndexId, long MaxSequence) RemoteState(WriteScope scope, long deviceIdx)
    {
        using var reader = scope.Command(RemoteQueries.StateOf).Set("$folder", _folderIdx).Set("$device", deviceIdx).ExecuteReader();
        reader.Read(); // RequireRemoteState created the row in this transaction
        return (reader.GetUInt64(0), reader.GetInt64(1));
    }

    /// <summary>Upserts by name; returns the highest sequence among the files (0 for none).</summary>
    private long UpsertRemote(WriteScope scope, long deviceIdx, IReadOnlyList<FileInfo> files)
    {
        var upsert = scope.Command(RemoteQueries.Upsert);
        long max = 0;
        foreach (var file in files)
        {
            FileColumns.Bind(upsert, file);
            upsert.Set("$folder", _folderIdx).Set("$device", deviceIdx).ExecuteNonQuery();
            max = Math.Max(max, file.Sequence);
        }
        return max;
    }

    private void SetRemoteMaxSequence(WriteScope scope, long deviceIdx, long max) =>
        scope.Command(RemoteQueries.SetMaxSequence).Set("$folder", _folderIdx).Set("$device", deviceIdx)
            .Set("$max_sequence", max).ExecuteNonQuery();
}
