using Stratus.Storage.CrashWriter;

return await CrashWriter.RunAsync(args);
