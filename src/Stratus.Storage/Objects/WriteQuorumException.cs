namespace Stratus.Storage.Objects;

/// <summary>Too few drives accepted an object's shards; nothing of the object is left behind.</summary>
public sealed class WriteQuorumException : IOException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public WriteQuorumException()
        : base("Too few drives accepted the object's shards.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WriteQuorumException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public WriteQuorumException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
