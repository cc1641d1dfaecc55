using System.Net;
using System.Net.Sockets;
using Lockstep.Connections.Addressing;

namespace Lockstep.Connections.Tests.Addressing;

/// <summary>Syncthing's address syntax: tcp/tcp4/tcp6, bracketed IPv6, default port 22000, clear errors otherwise.</summary>
public sealed class BepAddressTests
{
    [Theory]
    [InlineData("tcp://127.0.0.1:22000", AddressScheme.Tcp, "127.0.0.1", 22000, "tcp://127.0.0.1:22000")]
    [InlineData("TCP://example.com:1234", AddressScheme.Tcp, "example.com", 1234, "tcp://example.com:1234")]
    [InlineData("tcp4://10.0.0.1:5", AddressScheme.Tcp4, "10.0.0.1", 5, "tcp4://10.0.0.1:5")]
    [InlineData("tcp6://[::1]:22001", AddressScheme.Tcp6, "::1", 22001, "tcp6://[::1]:22001")]
    [InlineData("tcp://[2001:db8::7]:443", AddressScheme.Tcp, "2001:db8::7", 443, "tcp://[2001:db8::7]:443")]
    [InlineData("tcp://[fe80::1%2]:22000", AddressScheme.Tcp, "fe80::1%2", 22000, "tcp://[fe80::1%2]:22000")]
    [InlineData("tcp://host.lan", AddressScheme.Tcp, "host.lan", 22000, "tcp://host.lan:22000")]
    [InlineData("tcp://[::1]", AddressScheme.Tcp, "::1", 22000, "tcp://[::1]:22000")]
    [InlineData("tcp://:0", AddressScheme.Tcp, "", 0, "tcp://:0")]
    [InlineData("  tcp://0.0.0.0:22000/  ", AddressScheme.Tcp, "0.0.0.0", 22000, "tcp://0.0.0.0:22000")]
    public void Parses_syncthing_addresses(string text, AddressScheme scheme, string host, int port, string shown)
    {
        var a = BepAddress.Parse(text);
        Assert.Equal(scheme, a.Scheme);
        Assert.Equal(host, a.Host);
        Assert.Equal(port, a.Port);
        Assert.Equal(shown, a.ToString());
        Assert.Equal(a, BepAddress.Parse(a.ToString()));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("dynamic", "discovery")]
    [InlineData("DYNAMIC", "discovery")]
    [InlineData("127.0.0.1:22000", "no scheme")]
    [InlineData("quic://127.0.0.1:22000", "'quic' is not supported")]
    [InlineData("relay://relay.example:22067", "'relay' is not supported")]
    [InlineData("tcp://::1:22000", "must be written in brackets")]
    [InlineData("tcp://[::1:22000", "never closes")]
    [InlineData("tcp://[127.0.0.1]:22000", "not an IPv6 address")]
    [InlineData("tcp://[::1]x", "expected :PORT")]
    [InlineData("tcp://host:port", "'port' is not a number")]
    [InlineData("tcp://host:65536", "'65536' is not a number from 0 to 65535")]
    [InlineData("tcp://host:-1", "not a number")]
    [InlineData("tcp://host:", "'' is not a number")]
    [InlineData("tcp://host:22000/path", "only tcp://HOST:PORT")]
    [InlineData("tcp://host:22000?x=1", "only tcp://HOST:PORT")]
    [InlineData("tcp://user@host:22000", "only tcp://HOST:PORT")]
    [InlineData("tcp://bad host:22000", "neither a host name nor an IP address")]
    [InlineData("tcp4://[::1]:22000", "tcp4:// needs an IPv4 address")]
    [InlineData("tcp6://127.0.0.1:22000", "tcp6:// needs an IPv6 address")]
    public void Rejects_bad_addresses_saying_what_is_wrong(string text, string says)
    {
        Assert.False(BepAddress.TryParse(text, out _, out var error));
        Assert.Contains(says, error);
        var e = Assert.Throws<FormatException>(() => BepAddress.Parse(text));
        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void Family_follows_the_scheme()
    {
        Assert.Equal(AddressFamily.Unspecified, BepAddress.Parse("tcp://h:1").Family);
        Assert.Equal(AddressFamily.InterNetwork, BepAddress.Parse("tcp4://h:1").Family);
        Assert.Equal(AddressFamily.InterNetworkV6, BepAddress.Parse("tcp6://h:1").Family);
    }

    [Fact]
    public void FromEndPoint_writes_what_Parse_reads()
    {
        Assert.Equal("tcp://[::1]:5", BepAddress.FromEndPoint(new IPEndPoint(IPAddress.IPv6Loopback, 5)).ToString());
        Assert.Equal("tcp://127.0.0.1:7", BepAddress.FromEndPoint(new IPEndPoint(IPAddress.Loopback, 7)).ToString());
    }
}
