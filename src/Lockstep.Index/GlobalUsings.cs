// ImplicitUsings brings System.IO.FileInfo into every file; in this project FileInfo always means BEP's.
global using FileInfo = Lockstep.Protocol.Messages.FileInfo;
