// Before anything else allocates from many threads (see MallocArenas for why and what it saves).
Lockstep.Node.Hosting.MallocArenas.Limit();
return await Lockstep.Cli.CliApp.RunAsync(args);
