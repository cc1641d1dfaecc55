using System.Collections.Immutable;
using Google.Protobuf;
using Lockstep.Protocol.Identity;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// One device in a ClusterConfig folder (wire message Device). Named apart from the configuration's device
/// type. IndexId and MaxSequence drive delta indexes (bep-v1.md §5.3); the address, name, compression and
/// introducer fields matter to Syncthing only when it treats the sender as an introducer.
/// </summary>
public sealed record DeviceAnnouncement
{
    public required DeviceId Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>E.g. "dynamic" or "tcp://127.0.0.1:22000".</summary>
    public ImmutableArray<string> Addresses { get; init; } = [];
    public CompressionMode Compression { get; init; }
    public string CertName { get; init; } = "";
    /// <summary>Highest sequence the sender holds from this device in this folder.</summary>
    public long MaxSequence { get; init; }
    public bool Introducer { get; init; }
    /// <summary>The index ID that MaxSequence belongs to; 0 = none (no delta indexes). Compare unsigned.</summary>
    public ulong IndexId { get; init; }
    public bool SkipIntroductionRemovals { get; init; }
    /// <summary>Only for untrusted (encrypted) devices, which Lockstep does not support: must stay empty.</summary>
    public ImmutableArray<byte> EncryptionPasswordToken { get; init; } = [];

    internal Wire.Device ToWire()
    {
        var wire = new Wire.Device
        {
            Id = ByteString.CopyFrom(Id.Bytes),
            Name = Name,
            Compression = (Wire.Compression)(int)Compression,
            CertName = CertName,
            MaxSequence = MaxSequence,
            Introducer = Introducer,
            IndexId = IndexId,
            SkipIntroductionRemovals = SkipIntroductionRemovals,
            EncryptionPasswordToken = EncryptionPasswordToken.IsDefaultOrEmpty
                ? ByteString.Empty
                : ByteString.CopyFrom(EncryptionPasswordToken.AsSpan()),
        };
        wire.Addresses.AddRange(Addresses.IsDefault ? [] : Addresses);
        return wire;
    }

    /// <summary>Syncthing refuses a device ID that is not 32 bytes while unmarshalling, so it is malformed here too.</summary>
    internal static DeviceAnnouncement FromWire(Wire.Device wire)
    {
        if (wire.Id.Length != DeviceId.Length)
            throw ProtocolErrors.Malformed($"device id of {wire.Id.Length} bytes, expected {DeviceId.Length}");
        return new DeviceAnnouncement
        {
            Id = new DeviceId(wire.Id.Span),
            Name = wire.Name,
            Addresses = [.. wire.Addresses],
            Compression = (CompressionMode)(int)wire.Compression,
            CertName = wire.CertName,
            MaxSequence = wire.MaxSequence,
            Introducer = wire.Introducer,
            IndexId = wire.IndexId,
            SkipIntroductionRemovals = wire.SkipIntroductionRemovals,
            EncryptionPasswordToken = [.. wire.EncryptionPasswordToken.Span],
        };
    }

    public bool Equals(DeviceAnnouncement? other) =>
        other is not null && Id.Equals(other.Id) && Name == other.Name && RecordEquality.Items(Addresses, other.Addresses) &&
        Compression == other.Compression && CertName == other.CertName && MaxSequence == other.MaxSequence &&
        Introducer == other.Introducer && IndexId == other.IndexId && SkipIntroductionRemovals == other.SkipIntroductionRemovals &&
        RecordEquality.Items(EncryptionPasswordToken, other.EncryptionPasswordToken);

    public override int GetHashCode() => HashCode.Combine(Id, IndexId, MaxSequence);
}
