namespace Stratus.Storage.Erasure;

/// <summary>Fewer shards survive than the code needs to rebuild the data: the bytes are lost, not wrong.</summary>
public sealed class InsufficientShardsException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public InsufficientShardsException()
        : base("Too few shards survive to reconstruct the data.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InsufficientShardsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InsufficientShardsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception saying how many shards survive and how many are needed.</summary>
    public InsufficientShardsException(int available, int required)
        : base($"Only {available} shards survive; {required} are needed to reconstruct the data.")
    {
        Available = available;
        Required = required;
    }

    /// <summary>How many shards survive.</summary>
    public int Available { get; }

    /// <summary>How many shards are needed (the data shard count).</summary>
    public int Required { get; }
}
