using System.Collections.Immutable;
using System.Text;
using Lockstep.Protocol.Identity;

namespace Lockstep.Node.Config;

/// <summary>A peer this node knows (an entry of <c>devices:</c> in config.yaml). Equality compares the lists by content.</summary>
public sealed record DeviceConfig
{
    /// <summary>The peer's device ID (<c>id</c>).</summary>
    public required DeviceId Id { get; init; }

    /// <summary>A name for people (<c>name</c>); defaults to empty.</summary>
    public string Name { get; init; } = "";

    /// <summary>
    /// Where to dial the peer (<c>addresses</c>): <c>tcp://host:port</c> entries or <c>dynamic</c> (use discovery).
    /// Empty by default: the node does not dial the peer, but accepts it when it connects.
    /// </summary>
    public ImmutableArray<string> Addresses { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>Accept the folders and devices this peer introduces (<c>introducer</c>); defaults to false.</summary>
    public bool Introducer { get; init; }

    /// <summary>What to compress on the connection (<c>compression</c>); defaults to metadata.</summary>
    public Compression Compression { get; init; } = Compression.Metadata;

    /// <inheritdoc />
    public bool Equals(DeviceConfig? other) =>
        other is not null
        && Id == other.Id
        && Name == other.Name
        && Addresses.SequenceEqual(other.Addresses)
        && Introducer == other.Introducer
        && Compression == other.Compression;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Name, Addresses.Length, Introducer, Compression);

    // ImmutableArray prints as its type name; list the addresses instead.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id)
            .Append(", Name = ").Append(Name)
            .Append(", Addresses = [").AppendJoin(", ", Addresses).Append(']')
            .Append(", Introducer = ").Append(Introducer)
            .Append(", Compression = ").Append(Compression);
        return true;
    }
}
