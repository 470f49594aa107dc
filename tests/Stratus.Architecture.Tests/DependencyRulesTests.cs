using System.Reflection;

namespace Stratus.Architecture.Tests;

/// <summary>The dependency rules of ARCHITECTURE.md, checked against the compiled assemblies.</summary>
public sealed class DependencyRulesTests
{
    private static readonly string[] Services = ["Stratus.S3", "Stratus.DynamoDb", "Stratus.Sqs", "Stratus.Lambda", "Stratus.Ec2"];

    // What each layer may reference among our own assemblies.
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Stratus.Core"] = [],
        ["Stratus.Storage"] = ["Stratus.Core"],
        ["Stratus.Protocol"] = ["Stratus.Core"],
        ["Stratus.Cluster"] = ["Stratus.Core", "Stratus.Storage"],
        ["Stratus.Iam"] = ["Stratus.Core", "Stratus.Protocol", "Stratus.Storage"],
        ["Stratus.S3"] = ["Stratus.Core", "Stratus.Protocol", "Stratus.Storage", "Stratus.Cluster"],
        ["Stratus.DynamoDb"] = ["Stratus.Core", "Stratus.Protocol", "Stratus.Storage", "Stratus.Cluster"],
        ["Stratus.Sqs"] = ["Stratus.Core", "Stratus.Protocol", "Stratus.Storage", "Stratus.Cluster"],
        ["Stratus.Lambda"] = ["Stratus.Core", "Stratus.Protocol", "Stratus.Storage", "Stratus.Cluster"],
        ["Stratus.Ec2"] = ["Stratus.Core", "Stratus.Protocol", "Stratus.Storage", "Stratus.Cluster"],
    };

    public static TheoryData<string> OurAssemblies()
    {
        var data = new TheoryData<string>();
        foreach (var name in LoadAll().Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OurAssemblies))]
    public void Each_layer_references_only_what_the_architecture_allows(string assembly)
    {
        var all = LoadAll();
        if (assembly == "stratus")
        {
            return; // the executable is the composition root and may reference everything
        }

        Assert.True(Allowed.TryGetValue(assembly, out var allowed), $"{assembly} is not a layer of ARCHITECTURE.md; add it to the rules.");
        var ours = References(all[assembly]).Where(IsOurs).ToList();
        var forbidden = ours.Where(r => !allowed.Contains(r)).ToList();
        Assert.True(forbidden.Count == 0, $"{assembly} references {string.Join(", ", forbidden)}, which ARCHITECTURE.md does not allow.");
    }

    [Fact]
    public void No_service_references_another_service_or_iam()
    {
        foreach (var (name, assembly) in LoadAll())
        {
            if (!Services.Contains(name))
            {
                continue;
            }

            var references = References(assembly);
            Assert.DoesNotContain("Stratus.Iam", references);
            foreach (var other in Services)
            {
                Assert.DoesNotContain(other, references);
            }
        }
    }

    [Fact]
    public void The_rules_see_the_layers_that_exist()
    {
        var all = LoadAll();
        Assert.Contains("Stratus.Core", all.Keys);
        Assert.Contains("Stratus.Protocol", all.Keys);
        Assert.Contains("Stratus.Storage", all.Keys);
        Assert.Contains("Stratus.Iam", all.Keys);
        Assert.Contains("stratus", all.Keys);
    }

    private static bool IsOurs(string name) => name == "stratus" || name.StartsWith("Stratus.", StringComparison.Ordinal);

    private static List<string> References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

    // Every assembly of ours that the build put beside the tests (the test project references the executable, which references all).
    private static Dictionary<string, Assembly> LoadAll()
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (IsOurs(name) && !name.EndsWith(".Tests", StringComparison.Ordinal))
            {
                found[name] = Assembly.LoadFrom(file);
            }
        }

        return found;
    }
}
