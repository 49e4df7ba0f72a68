// esp-script: runs an Esp experiment script (.csx). See CommandLine.Usage, or `dotnet esp-script --help`.
using Esp.Scripting;

Warmup.Start();
return ScriptRunner.Execute(args, Console.Out, Console.Error, liveProgress: !Console.IsErrorRedirected);
