using System.Security.Cryptography.X509Certificates;
using Lockstep.Protocol.Identity;

namespace Lockstep.Protocol.Tests;

public sealed class DeviceIdTests
{
    // Vectors from bep-v1.md §1.3 (Syncthing's unit test, the docs example, SHA-256 of "").
    [Theory]
    [InlineData("7f7c8723ecca5b4d22061c4981b34c34d865ec376be1eb74330873c9a6f9b205", "P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2")]
    [InlineData("6173646c6173646c6173646c6173646c6173646c6173646c6173646c6173646c", "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "4OYMIQU-Y7QOBJR-GX36TEJ-S35ZEQD-T24QPEM-SNZGTFB-ESWMRW6-CSXBKQD")]
    public void Formats_and_parses_the_known_vectors(string hex, string text)
    {
        var id = new DeviceId(Convert.FromHexString(hex));
        Assert.Equal(text, id.ToString());
        Assert.Equal(id, DeviceId.Parse(text));
    }

    [Fact]
    public void ShortId_is_the_first_eight_bytes_big_endian_and_prints_as_the_first_group()
    {
        var id = DeviceId.Parse("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2");
        Assert.Equal(9186365928295258957UL, id.Short.Value);
        Assert.Equal("P56IOI7", id.Short.ToString());
    }

    [Fact]
    public void Luhn32_matches_syncthings_unit_test() => Assert.Equal('G', Luhn32.Compute("AB725E4GHIQPL3ZFGT"));

    [Theory]
    [InlineData("p56ioi7-mzjnu2y-iqgdrey-dm2mgti-mgl3bxn-pq6w5bm-tbbz4tj-xzwicq2")]   // lower case
    [InlineData("P56IOI7 MZJNU2Y IQGDREY DM2MGTI MGL3BXN PQ6W5BM TBBZ4TJ XZWICQ2")]   // spaces
    [InlineData("P56IOI7MZJNU2YIQGDREYDM2MGTIMGL3BXNPQ6W5BMTBBZ4TJXZWICQ2")]          // no separators
    [InlineData("P56I0I7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2")]   // 0 for O
    public void Accepts_the_spellings_syncthing_accepts(string text) =>
        Assert.Equal("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", DeviceId.Parse(text).ToString());

    [Fact]
    public void Accepts_the_legacy_52_character_form_without_check_characters()
    {
        var id = new DeviceId(Convert.FromHexString("7f7c8723ecca5b4d22061c4981b34c34d865ec376be1eb74330873c9a6f9b205"));
        var b32 = Base32.Encode(id.Bytes);
        Assert.Equal(52, b32.Length);
        Assert.Equal(id, DeviceId.Parse(b32));
    }

    [Theory]
    [InlineData("P56IOI7-MZJNU2A-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", 2)]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTA-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", 4)]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BA-TBBZ4TJ-XZWICQ2", 6)]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQA", 8)]
    public void A_wrong_check_character_names_its_group(string text, int group)
    {
        Assert.False(DeviceId.TryParse(text, out _, out var error));
        Assert.Contains($"wrong check character in group {group}", error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("P56IOI7-MZJNU2Y", "has 14 characters")]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWIC!2", "not a base32 character")]
    public void Rejects_malformed_ids_with_a_reason(string text, string reason)
    {
        Assert.False(DeviceId.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Throws<FormatException>(() => DeviceId.Parse(text));
    }

    [Fact]
    public void A_generated_certificate_looks_like_syncthings()
    {
        using var cert = DeviceCertificate.Generate();
        Assert.Equal("CN=syncthing, OU=Automatically Generated, O=Syncthing", cert.Subject);
        Assert.Equal(cert.Subject, cert.Issuer);
        Assert.Equal("ECC", cert.PublicKey.Oid.FriendlyName);
        Assert.Equal(384, cert.GetECDsaPublicKey()!.KeySize);
        Assert.True(cert.HasPrivateKey);
        Assert.Equal(DeviceId.FromCertificate(cert.RawData), DeviceCertificate.IdOf(cert));
    }

    [Fact]
    public void Pem_round_trip_keeps_the_identity_and_the_key()
    {
        using var dir = new Lockstep.Testing.TempDirectory();
        using var cert = DeviceCertificate.Generate();
        var (certPem, keyPem) = DeviceCertificate.ExportPem(cert);
        File.WriteAllText(dir.Combine("cert.pem"), certPem);
        File.WriteAllText(dir.Combine("key.pem"), keyPem);
        using var loaded = DeviceCertificate.LoadWithKey(dir.Combine("cert.pem"), dir.Combine("key.pem"));
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(DeviceCertificate.IdOf(cert), DeviceCertificate.IdOf(loaded));
        using var publicOnly = DeviceCertificate.LoadCertificatePem(dir.Combine("cert.pem"));
        Assert.Equal(DeviceCertificate.IdOf(cert), DeviceCertificate.IdOf(publicOnly));
    }
}
