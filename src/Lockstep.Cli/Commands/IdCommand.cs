using System.CommandLine;
using System.Security.Cryptography;
using Lockstep.Node.Home;
using Lockstep.Protocol.Identity;

namespace Lockstep.Cli.Commands;

internal static class IdCommand
{
    public static Command Create()
    {
        var home = CommonOptions.Home();
        var cert = new Option<string?>("--cert") { Description = "A PEM certificate file (e.g. a Syncthing cert.pem)" };
        var command = new Command("id", "Print the device ID of a home or of a certificate") { home, cert };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var certPath = parse.GetValue(cert);
            if (certPath is not null && parse.GetValue(home) is not null)
                throw new CliException(ExitCodes.Usage, "give either --home or --cert, not both");
            DeviceId id;
            if (certPath is not null)
            {
                if (!File.Exists(certPath))
                    throw new CliException(ExitCodes.Usage, $"'{certPath}' does not exist; --cert takes a PEM certificate file");
                try
                {
                    using var x509 = DeviceCertificate.LoadCertificatePem(certPath);
                    id = DeviceCertificate.IdOf(x509);
                }
                catch (CryptographicException e)
                {
                    throw new CliException(ExitCodes.Usage, $"'{certPath}' is not a PEM certificate: {e.Message}");
                }
            }
            else
            {
                id = NodeInitializer.ReadDeviceId(NodeHome.Resolve(parse.GetValue(home)));
            }
            Console.Out.WriteLine(id.ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }
}
