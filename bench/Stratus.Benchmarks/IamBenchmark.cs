using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Stratus.Iam.Authorization;
using Stratus.Iam.Policies;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Services;

namespace Stratus.Benchmarks;

/// <summary>
/// Policy evaluation latency for identity policies of 1, 10 and 100 statements with wildcards, variables and
/// conditions (the deciding Allow is the last statement, so every statement is looked at), plus a full set
/// (identity + resource policy + boundary), the per-request cost of building the context, and the whole
/// authorization step (PolicyAuthorizer). Anchor: 5 µs p50 for 10 statements.
/// </summary>
internal static class IamBenchmark
{
    private const double BudgetNanoseconds = 5_000;

    public static int Run(bool quick)
    {
        var caller = new CallerIdentity("111111111111", "arn:aws:iam::111111111111:user/alice", "AIDAALICE", PrincipalType.User);
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        AuthorizationContext BuildContext() => new AuthorizationContextBuilder(caller, "s3:GetObject")
            .Resource("arn:aws:s3:::home-bucket/alice/reports/2026/03/summary.csv")
            .ResourceAccount("111111111111")
            .Time(now)
            .SourceIp(IPAddress.Parse("10.20.30.40"))
            .SecureTransport(true)
            .Region("us-east-1")
            .PrincipalTags([new("team", "analytics"), new("cost-center", "42")])
            .Set("s3:prefix", "alice/reports/")
            .Build();
        var context = BuildContext();

        var iterations = quick ? 100_000 : 1_000_000;
        var results = new List<(string Name, double P50, double P99, double Mean, double Bytes)>();
        var sets = new List<PolicySet>();
        foreach (var count in new[] { 1, 10, 100 })
        {
            var set = new PolicySet { Identity = [PolicyDocument.Parse(IdentityPolicy(count), PolicyKind.Identity, $"eval-{count}")] };
            if (PolicyEvaluator.Evaluate(context, set) != Decision.Allow)
            {
                Console.Error.WriteLine($"iam: the {count}-statement policy does not allow the benchmark request");
                return 1;
            }

            sets.Add(set);
        }

        // Warm every path up before measuring any, so that tiered compilation has settled (the first workload would otherwise pay for it).
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromMilliseconds(quick ? 500 : 2000))
        {
            foreach (var set in sets)
            {
                PolicyEvaluator.Evaluate(context, set);
            }
        }

        var ten = sets[1];
        for (var i = 0; i < sets.Count; i++)
        {
            var count = sets[i].Identity[0].StatementCount;
            results.Add(Measure($"eval-{count}", context, sets[i], count == 100 ? iterations / 10 : iterations));
        }

        var full = new PolicySet
        {
            Identity = ten.Identity,
            Resource = PolicyDocument.Parse("""
                {"Version":"2012-10-17","Statement":[
                  {"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::home-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
                  {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::home-bucket","arn:aws:s3:::home-bucket/*"]}]}
                """, PolicyKind.Resource, "bucket-policy"),
            PermissionsBoundary = PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:*","sqs:*","dynamodb:*"],"Resource":"*"}}""", PolicyKind.PermissionsBoundary, "boundary"),
        };
        results.Add(Measure("eval-10-with-resource-policy-and-boundary", context, full, iterations));

        var contextNs = MeasurePerCall(BuildContext, quick ? 20_000 : 200_000, out var contextBytes);

        // The whole authorization step as the pipeline will run it: context from the request, policies from the source, evaluation.
        var authorizer = new PolicyAuthorizer(new FixedPolicySource(new PrincipalPolicies { Identity = ten.Identity, Tags = [new("team", "analytics")] }), []);
        var facts = new PolicyAuthorizer.RequestFacts(caller, now, IPAddress.Parse("10.20.30.40"), true, "us-east-1");
        var request = new AuthorizationRequest("s3:GetObject", ["arn:aws:s3:::home-bucket/alice/reports/2026/03/summary.csv"])
        {
            ResourceAccount = "111111111111",
            ConditionKeys = new Dictionary<string, IReadOnlyList<string>> { ["s3:prefix"] = ["alice/reports/"] },
        };
        if (!authorizer.Authorize(facts, request, out _).Allowed)
        {
            Console.Error.WriteLine("iam: the authorizer refuses the benchmark request");
            return 1;
        }

        var authorizeNs = MeasurePerCall(() => authorizer.Authorize(facts, request, out _), quick ? 100_000 : 1_000_000, out var authorizeBytes, out var authorizeP50, out var authorizeP99);
        foreach (var (name, p50, p99, mean, bytes) in results)
        {
            Console.WriteLine($"{name}: p50 {p50:F0} ns, p99 {p99:F0} ns, mean {mean:F0} ns, {bytes:F1} B/op allocated");
        }

        Console.WriteLine($"context-build (per request: 10 keys, 2 principal tags): {contextNs:F0} ns, {contextBytes:F0} B/op allocated");
        Console.WriteLine($"authorize-10 (PolicyAuthorizer: context + policy source + eval-10): p50 {authorizeP50:F0} ns, p99 {authorizeP99:F0} ns, mean {authorizeNs:F0} ns, {authorizeBytes:F0} B/op allocated");
        Console.WriteLine($"ratio eval-10 {BudgetNanoseconds / results[1].P50:F2}");
        return 0;
    }

    // 1 statement: the Allow. N: N-1 statements that miss for different reasons, then the Allow.
    internal static string IdentityPolicy(int statements)
    {
        var text = new StringBuilder("""{"Version":"2012-10-17","Statement":[""");
        for (var i = 0; i < statements - 1; i++)
        {
            text.Append(((i % 5) switch
            {
                0 => """{"Sid":"Sqs#","Effect":"Allow","Action":["sqs:Send*","sqs:Receive*"],"Resource":"arn:aws:sqs:*:111111111111:queue-#-*"},""",
                1 => """{"Sid":"Other#","Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::other-bucket-#/*"},""",
                2 => """{"Sid":"Deny#","Effect":"Deny","Action":"s3:Delete*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},""",
                3 => """{"Sid":"Region#","Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-#"}}},""",
                _ => """{"Sid":"Tagged#","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home-bucket/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"team-#"}}},""",
            }).Replace("#", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        text.Append("""
            {"Sid":"Home","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::home-bucket/${aws:username}/*",
             "Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]},"Bool":{"aws:SecureTransport":"true"},
                          "StringLike":{"s3:prefix":"${aws:username}/*"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},
                          "ForAllValues:StringEquals":{"aws:TagKeys":["project"]}}}]}
            """);
        return text.ToString();
    }

    private static (string, double, double, double, double) Measure(string name, AuthorizationContext context, PolicySet set, int iterations)
    {
        for (var i = 0; i < iterations / 4; i++)
        {
            PolicyEvaluator.Evaluate(context, set); // warm-up: tiering and PGO
        }

        var samples = new double[iterations];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var total = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            PolicyEvaluator.Evaluate(context, set);
            samples[i] = Stopwatch.GetTimestamp() - start;
        }

        var elapsed = Stopwatch.GetElapsedTime(total);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Array.Sort(samples);
        var tick = 1e9 / Stopwatch.Frequency;
        return (name, samples[iterations / 2] * tick, samples[(int)(iterations * 0.99)] * tick, elapsed.TotalNanoseconds / iterations, (double)allocated / iterations);
    }

    private static double MeasurePerCall<T>(Func<T> build, int iterations, out double bytesPerOp) =>
        MeasurePerCall(build, iterations, out bytesPerOp, out _, out _);

    // Mean over the loop; p50 and p99 from each call timed on its own (~20 ns of timer overhead included).
    private static double MeasurePerCall<T>(Func<T> build, int iterations, out double bytesPerOp, out double p50, out double p99)
    {
        for (var i = 0; i < iterations / 4; i++)
        {
            build();
        }

        var samples = new double[iterations];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            var call = Stopwatch.GetTimestamp();
            build();
            samples[i] = Stopwatch.GetTimestamp() - call;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        bytesPerOp = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / iterations;
        Array.Sort(samples);
        var tick = 1e9 / Stopwatch.Frequency;
        p50 = samples[iterations / 2] * tick;
        p99 = samples[(int)(iterations * 0.99)] * tick;
        return elapsed.TotalNanoseconds / iterations;
    }

    private sealed class FixedPolicySource(PrincipalPolicies policies) : IPolicySource
    {
        public PrincipalPolicies? GetPolicies(CallerIdentity principal) => policies;
    }
}
