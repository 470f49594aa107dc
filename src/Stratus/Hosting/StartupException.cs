namespace Stratus.Hosting;

/// <summary>A configuration or environment problem that stops the server from starting; its message is shown as is.</summary>
internal sealed class StartupException : Exception
{
    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException()
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
