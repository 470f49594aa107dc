using Stratus.Protocol.Pipeline;

namespace Stratus.Protocol.Services;

/// <summary>
/// A service that serves static websites (S3 from a bucket's website configuration), so that the pipeline can hand it
/// the requests that come to a website host (<c>bucket.s3-website…</c>): those are no operation of any model, they are
/// anonymous, and they are answered in HTML rather than the protocol's error shape.
/// </summary>
public interface IStaticWebsite
{
    /// <summary>Answers one request to <paramref name="bucket"/>'s website; <paramref name="rawPath"/> is as sent, still percent-encoded.</summary>
    Task ServeAsync(RequestContext context, string bucket, string rawPath);
}
