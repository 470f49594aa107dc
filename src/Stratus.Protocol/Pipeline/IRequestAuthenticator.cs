using Stratus.Protocol.Auth;

namespace Stratus.Protocol.Pipeline;

/// <summary>The pipeline's authentication step: verifies a request's signature and says who sent it.</summary>
public interface IRequestAuthenticator
{
    /// <summary>
    /// Verifies the request's SigV4 signature (header, presigned query or streaming body). Throws the protocol's
    /// <see cref="Core.AwsException"/> when the signature, key, token or clock is wrong; an unsigned request comes back anonymous.
    /// </summary>
    /// <param name="context">The routed request.</param>
    /// <param name="rawPath">The path as sent, still percent-encoded.</param>
    /// <param name="rawQuery">The query string as sent, without '?'.</param>
    /// <param name="bufferedBody">The whole body when the pipeline buffered it; otherwise null, and the body is checked as it streams.</param>
    Authentication Authenticate(RequestContext context, string rawPath, string rawQuery, ReadOnlyMemory<byte>? bufferedBody);

    /// <summary>
    /// Verifies the signature an S3 browser-form upload carries in its fields (<see cref="PostFormSignature"/>), for a
    /// request that came in unsigned. Throws S3's error when the key, token or signature is wrong.
    /// </summary>
    Authentication AuthenticatePostForm(RequestContext context, PostFormSignature form);
}
