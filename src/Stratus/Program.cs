using System.CommandLine;
using Stratus.Hosting;

// The host handles SIGTERM and Ctrl+C itself (a clean Kestrel shutdown), so System.CommandLine must not also.
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await CommandLine.Build().Parse(args).InvokeAsync(configuration);
