namespace Stratus.Storage.Lsm;

/// <summary>The engine hit a write or fsync error earlier and now refuses writes; reads still work.</summary>
public sealed class LsmReadOnlyException : IOException
{
    /// <summary>Creates the exception.</summary>
    public LsmReadOnlyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public LsmReadOnlyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception, keeping the original failure.</summary>
    public LsmReadOnlyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
