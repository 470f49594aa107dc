namespace Stratus.Protocol.Auth;

/// <summary>What verifying (or producing) an aws-chunked signature chain needs, taken from the request's seed signature.</summary>
public sealed class ChunkSigningContext
{
    public ChunkSigningContext(ReadOnlyMemory<byte> signingKey, string seedSignature, string timestamp, string scope)
    {
        SigningKey = signingKey;
        SeedSignature = seedSignature;
        Timestamp = timestamp;
        Scope = scope;
    }

    /// <summary>The derived SigV4 signing key (HMAC key for every chunk and the trailer); do not modify.</summary>
    public ReadOnlyMemory<byte> SigningKey { get; }

    /// <summary>The request's own signature, lower hex: the "previous signature" of the first chunk.</summary>
    public string SeedSignature { get; }

    /// <summary>The request time, <c>yyyyMMddTHHmmssZ</c>.</summary>
    public string Timestamp { get; }

    /// <summary>The credential scope string, <c>date/region/service/aws4_request</c>.</summary>
    public string Scope { get; }
}
