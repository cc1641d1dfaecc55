namespace Lockstep.Connections.Addressing;

/// <summary>The TCP schemes of Syncthing's address syntax: any family, IPv4 only, IPv6 only.</summary>
public enum AddressScheme
{
    Tcp,
    Tcp4,
    Tcp6,
}
