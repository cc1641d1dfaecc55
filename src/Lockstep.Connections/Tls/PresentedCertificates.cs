using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Lockstep.Connections.Tls;

/// <summary>
/// Captures, during one handshake, the certificates the peer sent. SslStream only exposes the leaf afterwards, but
/// Syncthing's rule is about the whole list ("exactly one certificate"), and .NET hands the rest of what the peer sent
/// to the validation callback in <see cref="X509ChainPolicy.ExtraStore"/>. One instance per handshake.
/// </summary>
internal sealed class PresentedCertificates
{
    private readonly List<X509Certificate2> _certificates = [];

    /// <summary>Leaf first, then any further certificates the peer sent, without duplicates.</summary>
    public IReadOnlyList<X509Certificate2> Certificates => _certificates;

    /// <summary>True when the callback ran and the peer had sent no certificate.</summary>
    public bool WasMissing { get; private set; }

    // Any certificate passes TLS; a missing one fails it (we require one). Chain errors are expected and ignored:
    // the certificates are self-signed, and trust is decided by device ID afterwards.
    public bool Accept(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        _certificates.Clear();
        if (certificate is null)
        {
            WasMissing = true;
            return false;
        }
        WasMissing = false;
        _certificates.Add(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        if (chain is not null)
        {
            // On Linux the client side's extra store repeats the leaf; count each distinct certificate once.
            foreach (var extra in chain.ChainPolicy.ExtraStore)
                if (!_certificates.Any(c => c.RawDataMemory.Span.SequenceEqual(extra.RawDataMemory.Span)))
                    _certificates.Add(X509CertificateLoader.LoadCertificate(extra.RawData));
        }
        return true;
    }
}
