// A node re-executes itself with the optimizing JIT first (see OptimizedJit for why); other commands go on here.
Lockstep.Node.Hosting.OptimizedJit.ReexecIfNode(args);
// Before anything else allocates from many threads (see MallocArenas for why and what it saves).
Lockstep.Node.Hosting.MallocArenas.Limit();
return await Lockstep.Cli.CliApp.RunAsync(args);
