return await Lockstep.Cli.CliApp.RunAsync(args);
