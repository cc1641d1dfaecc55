// BEP's FileInfo, not System.IO's (implicit usings bring both into scope).
global using FileInfo = Lockstep.Protocol.Messages.FileInfo;
