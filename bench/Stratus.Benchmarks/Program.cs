using Stratus.Benchmarks;

return BenchmarkRunner.Run(args);
