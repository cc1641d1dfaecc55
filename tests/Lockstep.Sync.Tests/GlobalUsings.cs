global using FileInfo = Lockstep.Protocol.Messages.FileInfo;
