using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lockstep.Protocol.Identity;

/// <summary>
/// The node's TLS identity, shaped like the certificate Syncthing generates (bep-v1.md §1.2):
/// self-signed ECDSA P-384, CN=syncthing with SAN DNS:syncthing, 20 years, server+client EKU.
/// </summary>
public static class DeviceCertificate
{
    public const string CommonName = "syncthing";

    public static X509Certificate2 Generate(TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest(
            $"CN={CommonName}, OU=Automatically Generated, O=Syncthing", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(CommonName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var notBefore = now.AddDays(-1);
        var cert = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key),
            notBefore, notBefore.AddDays(7300), serial);
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>The certificate as PEM and its private key as PKCS#8 PEM.</summary>
    public static (string CertPem, string KeyPem) ExportPem(X509Certificate2 cert)
    {
        using var key = cert.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no ECDSA private key");
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Reads the first certificate of a PEM file (private key not needed).</summary>
    public static X509Certificate2 LoadCertificatePem(string path) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(path));

    /// <summary>Loads a certificate with its private key, round-tripped through PKCS#12 so TLS can use it.</summary>
    public static X509Certificate2 LoadWithKey(string certPath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public static DeviceId IdOf(X509Certificate2 cert) => DeviceId.FromCertificate(cert.RawData);
}
