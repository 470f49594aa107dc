namespace Stratus.Protocol.Auth;

/// <summary>A request after signing: the request to send, its signature and what a chunked body needs to continue the chain.</summary>
public sealed class SigV4Signature
{
    internal SigV4Signature(SignedRequest request, string signature, ChunkSigningContext chunkSigning)
    {
        Request = request;
        Signature = signature;
        ChunkSigning = chunkSigning;
    }

    /// <summary>The signed request (headers or query added).</summary>
    public SignedRequest Request { get; }

    /// <summary>The signature, lower hex.</summary>
    public string Signature { get; }

    /// <summary>Signing key, seed signature, timestamp and scope, for <see cref="AwsChunkedEncoder"/>.</summary>
    public ChunkSigningContext ChunkSigning { get; }
}
