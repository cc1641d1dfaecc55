using Lockstep.Index.Storage;

namespace Lockstep.Index.Queries;

/// <summary>Statements on devices, remote_state and remote_files (50-remote.sql).</summary>
internal static class RemoteQueries
{
    public const string InsertDevice = "INSERT INTO devices (device_id) VALUES ($device_id) ON CONFLICT (device_id) DO NOTHING";

    public const string DeviceIdx = "SELECT idx FROM devices WHERE device_id = $device_id";

    /// <summary>Reads name the device by its ID; an unknown device matches no row.</summary>
    private const string ByDevice = "device_idx = (SELECT idx FROM devices WHERE device_id = $device_id)";

    public const string EnsureState =
        "INSERT INTO remote_state (folder_idx, device_idx) VALUES ($folder, $device) ON CONFLICT DO NOTHING";

    public const string StateOf =
        "SELECT index_id, max_sequence FROM remote_state WHERE folder_idx = $folder AND device_idx = $device";

    public const string SetState =
        "UPDATE remote_state SET index_id = $index_id, max_sequence = $max_sequence " +
        "WHERE folder_idx = $folder AND device_idx = $device";

    public const string SetMaxSequence =
        "UPDATE remote_state SET max_sequence = $max_sequence WHERE folder_idx = $folder AND device_idx = $device";

    public const string DeleteFiles = "DELETE FROM remote_files WHERE folder_idx = $folder AND device_idx = $device";

    public const string Upsert =
        "INSERT INTO remote_files (folder_idx, device_idx, " + FileColumns.Select + ") " +
        "VALUES ($folder, $device, " + FileColumns.Parameters + ") " +
        "ON CONFLICT (folder_idx, device_idx, name) DO UPDATE SET " + FileColumns.UpdateFromExcluded;

    public const string Get =
        "SELECT " + FileColumns.Select + " FROM remote_files WHERE folder_idx = $folder AND " + ByDevice + " AND name = $name";

    public const string All =
        "SELECT " + FileColumns.Select + " FROM remote_files WHERE folder_idx = $folder AND " + ByDevice + " ORDER BY name";

    public const string AllHeaders =
        "SELECT " + FileColumns.SelectHeader + " FROM remote_files WHERE folder_idx = $folder AND " + ByDevice + " ORDER BY name";

    public const string State =
        "SELECT index_id, max_sequence FROM remote_state WHERE folder_idx = $folder AND " + ByDevice;

    public const string Devices =
        "SELECT d.device_id FROM remote_state s JOIN devices d ON d.idx = s.device_idx " +
        "WHERE s.folder_idx = $folder ORDER BY d.device_id";
}
