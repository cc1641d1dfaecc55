using System.Security.Cryptography;
using Lockstep.Node.Config;
using Lockstep.Protocol.Identity;

namespace Lockstep.Node.Home;

/// <summary>`lockstep init`: a new identity (certificate, key), a random API key and config.yaml.</summary>
public static class NodeInitializer
{
    public sealed record Options(string? Name, string? Listen, string? ApiAddress);

    public static DeviceId Initialise(NodeHome home, Options options)
    {
        foreach (var existing in new[] { home.CertPath, home.ConfigPath })
            if (File.Exists(existing))
                throw new HomeException($"'{existing}' already exists: this home is initialised; use another --home, or remove the file to start over (its identity is lost)");
        Directory.CreateDirectory(home.Path);
        var name = string.IsNullOrWhiteSpace(options.Name) ? Environment.MachineName : options.Name;
        var config = NodeConfig.Default(name, NewApiKey());
        if (options.Listen is not null)
            config = config with { Listen = options.Listen };
        if (options.ApiAddress is not null)
            config = config with { Api = config.Api with { Address = options.ApiAddress } };
        // Validate before writing anything, so bad flags leave the home untouched.
        ConfigFile.Validate(config, home.ConfigPath);

        using var cert = DeviceCertificate.Generate();
        var (certPem, keyPem) = DeviceCertificate.ExportPem(cert);
        WritePrivate(home.KeyPath, keyPem);
        File.WriteAllText(home.CertPath, certPem);
        ConfigFile.Save(home.ConfigPath, config);
        return DeviceCertificate.IdOf(cert);
    }

    /// <summary>Reads this node's device ID from its certificate.</summary>
    public static DeviceId ReadDeviceId(NodeHome home)
    {
        if (!File.Exists(home.CertPath))
            throw new HomeException($"'{home.CertPath}' does not exist; run: lockstep init --home {home.Path}");
        using var cert = DeviceCertificate.LoadCertificatePem(home.CertPath);
        return DeviceCertificate.IdOf(cert);
    }

    private static string NewApiKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static void WritePrivate(string path, string content)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(content);
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }
}
