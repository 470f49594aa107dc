namespace Stratus.Protocol.Tests.TestSupport;

/// <summary>Finds the repository root and the shared folder beside it, where the AWS models and test data live.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Models => Path.Combine(Shared, "aws-models");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Stratus.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Stratus.slnx not found above " + AppContext.BaseDirectory);
    }
}
