using System.Net.Security;
using System.Security.Authentication;

namespace Lockstep.Connections.Tls;

/// <summary>The <c>crypto</c> string Syncthing shows in <c>/rest/system/connections</c>, e.g. <c>TLS1.3-TLS_AES_128_GCM_SHA256</c>.</summary>
internal static class TlsDescription
{
    public static string Of(SslStream stream)
    {
#pragma warning disable SYSLIB0039 // naming old versions is what this does, not enabling them
        var version = stream.SslProtocol switch
        {
            SslProtocols.Tls13 => "TLS1.3",
            SslProtocols.Tls12 => "TLS1.2",
            SslProtocols.Tls11 => "TLS1.1",
            SslProtocols.Tls => "TLS1.0",
            var other => other.ToString(),
        };
#pragma warning restore SYSLIB0039
        return $"{version}-{stream.NegotiatedCipherSuite}";
    }
}
