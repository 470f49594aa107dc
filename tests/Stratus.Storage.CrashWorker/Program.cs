using Stratus.Storage.CrashWorker;

return args.Length > 0 && args[0] == "worker" ? CrashWorkload.RunWorker(args) : CrashHarness.RunStandalone(args);
