using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Stratus.Iam.Authorization;
using Stratus.Iam.Credentials;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Benchmarks;

/// <summary>
/// The whole request pipeline in process, without sockets: framing guards, SigV4 verification, routing, JSON decoding,
/// authorization by the policy engine, a trivial handler and encoding, for a signed DynamoDB GetItem. The anchor is the 10 µs budget.
/// </summary>
internal static class PipelineBenchmark
{
    private const double BudgetNanoseconds = 10_000;

    public static int Run(bool quick)
    {
        var time = TimeProvider.System;
        var credentials = new CredentialStore([new AccountKeys("000000000000", "test", "test")]);
        using var metrics = new PipelineMetrics();
        var pipeline = new AwsRequestPipeline(
            [new GetItemService()],
            new SigV4Authenticator(credentials, time),
            new PolicyAuthorizer(new AccountRootPolicySource(), []),
            new PipelineOptions(),
            time,
            metrics,
            NullLogger<AwsRequestPipeline>.Instance);

        var body = Encoding.UTF8.GetBytes("{\"TableName\":\"orders\",\"Key\":{\"pk\":{\"S\":\"customer#42\"},\"sk\":{\"S\":\"order#2026-03-01#0001\"}},\"ConsistentRead\":true}");
        var signed = new SigV4Signer(time).Sign(
            new SignedRequest
            {
                Method = "POST",
                RawPath = "/",
                Headers =
                [
                    new("Host", "localhost:4566"),
                    new("User-Agent", "aws-sdk-dotnet-coreclr/4.0.0 ua/2.1 os/linux md/arch#x64 lang/dotnet#10.0 api/DynamoDB#4.0"),
                    new("Content-Type", "application/x-amz-json-1.0"),
                    new("X-Amz-Target", "DynamoDB_20120810.GetItem"),
                    new("amz-sdk-invocation-id", "3f1d7c2e-9b8a-4e6f-a1d2-5c4b3a291807"),
                    new("amz-sdk-request", "attempt=1; max=3"),
                ],
                PayloadHash = Convert.ToHexStringLower(SHA256.HashData(body)),
            },
            new SigV4SigningOptions { AccessKeyId = "test", SecretAccessKey = "test", Region = "us-east-1", Service = "dynamodb" }).Request;

        if (Invoke(pipeline, signed, body) is var status and not 200)
        {
            Console.Error.WriteLine($"pipeline: the benchmark request is not served ({status})");
            return 1;
        }

        var iterations = quick ? 20_000 : 200_000;
        var rounds = quick ? 3 : 7;
        Measure(pipeline, signed, body, iterations);
        var best = double.MaxValue;
        double allocated = 0;
        for (var round = 0; round < rounds; round++)
        {
            var (ns, bytes) = Measure(pipeline, signed, body, iterations);
            best = Math.Min(best, ns);
            allocated = bytes;
        }

        Console.WriteLine($"sigv4-route-decode: {best:F0} ns/request of CPU on one thread, {allocated:F0} B/request allocated (best of {rounds} x {iterations})");
        Console.WriteLine($"ratio sigv4-route-decode {BudgetNanoseconds / best:F2}");
        return 0;
    }

    private static (double Nanoseconds, double Bytes) Measure(AwsRequestPipeline pipeline, SignedRequest signed, byte[] body, int iterations)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            if (Invoke(pipeline, signed, body) != 200)
            {
                throw new InvalidOperationException("a benchmark request failed");
            }
        }

        clock.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalNanoseconds;
        var wall = clock.Elapsed.TotalNanoseconds;
        // One thread does the work; take the smaller of CPU and wall time so background GC threads are not charged twice.
        return (Math.Min(cpu, wall) / iterations, (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / iterations);
    }

    private static int Invoke(AwsRequestPipeline pipeline, SignedRequest signed, byte[] body)
    {
        var http = new DefaultHttpContext();
        var request = http.Request;
        request.Method = signed.Method;
        request.Path = "/";
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.Append(name, value); // Host among them
        }

        request.ContentLength = body.Length;
        request.Body = new MemoryStream(body, writable: false);
        http.Features.Get<IHttpRequestFeature>()!.RawTarget = "/";
        http.Response.Body = Stream.Null;
        pipeline.InvokeAsync(http).GetAwaiter().GetResult();
        return http.Response.StatusCode;
    }

    /// <summary>A stand-in DynamoDB with one operation, so the benchmark measures the pipeline rather than a table.</summary>
    private sealed class GetItemService : AwsService
    {
        public GetItemService()
            : base(ServiceCatalog.Get("dynamodb"))
        {
            Register<GetItem, Item>(
                "GetItem",
                static input => new GetItem(input.RequiredJsonString("TableName"), input.Json.GetProperty("Key")),
                static (request, context) => AuthorizationRequest.ForAction("dynamodb:GetItem") with
                {
                    Resources = [$"arn:aws:dynamodb:{context.Region}:{context.Account}:table/{request.Table}"],
                },
                static (_, _, _) => ValueTask.FromResult(Item.Instance));
        }
    }

    private sealed record GetItem(string Table, JsonElement Key);

    private sealed class Item : IJsonResponse
    {
        public static Item Instance { get; } = new();

        public void WriteJson(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Item");
            writer.WriteStartObject("pk");
            writer.WriteString("S", "customer#42");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }
}
