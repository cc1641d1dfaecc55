using Lockstep.Protocol.Identity;

namespace Lockstep.Node.Tests.Config;

/// <summary>Device IDs and YAML shared by the config tests.</summary>
internal static class ConfigSamples
{
    /// <summary>The device ID of ARCHITECTURE.md §4's example (its check characters are valid).</summary>
    public const string IdA = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD";

    public static readonly DeviceId A = DeviceId.Parse(IdA);
    public static readonly DeviceId B = new(Enumerable.Repeat((byte)0xB5, DeviceId.Length).ToArray());
    public static readonly DeviceId C = new(Enumerable.Range(0, DeviceId.Length).Select(i => (byte)(i * 7)).ToArray());

    public static string IdB => B.ToString();

    /// <summary>IdA with the check character that ends display group 4 changed.</summary>
    public static string IdAWithBadCheckInGroup4
    {
        get
        {
            var chars = IdA.ToCharArray();
            var index = 3 * 8 + 6; // group 4 (1-based) starts at 24; its 7th character is the check character
            chars[index] = chars[index] == 'A' ? 'B' : 'A';
            return new string(chars);
        }
    }

    /// <summary>The config.yaml of ARCHITECTURE.md §4, verbatim.</summary>
    public const string Example = """
        name: node-a
        listen: tcp://0.0.0.0:22001          # Syncthing's 22000 and 8384 stay free
        api:
          address: 127.0.0.1:8385
          key: 9f2c4e1a7b...                  # random, written by init
        devices:
          - id: MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD
            name: node-b
            addresses: [tcp://node-b.example:22001]
            introducer: false
            compression: metadata
        folders:
          - id: photos
            label: Photos
            path: /srv/photos
            type: sendreceive
            devices: [MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD]
            rescanIntervalS: 3600
            fsWatcherEnabled: true
            fsWatcherDelayS: 0.05
            ignorePerms: false
            maxConflicts: 10

        """;

    /// <summary>A valid file with one device (A) and one folder; <paramref name="folderKeys"/> are extra lines for that folder.</summary>
    public static string OneFolder(string folderKeys = "", string path = "/srv/photos") => $"""
        name: node-a
        api:
          key: secret
        devices:
          - id: {IdA}
        folders:
          - id: photos
            path: {path}
        {Indent(folderKeys, "    ")}
        """;

    public static string Indent(string lines, string prefix) =>
        string.Join("\n", lines.Split('\n').Select(l => l.Length == 0 ? l : prefix + l));
}
