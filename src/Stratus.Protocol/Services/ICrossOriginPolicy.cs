namespace Stratus.Protocol.Services;

/// <summary>
/// A service's cross-origin (CORS) rules, so that the pipeline can answer a browser's preflight <c>OPTIONS</c> (which is
/// no operation of any model) and add the <c>Access-Control-*</c> headers to ordinary responses. S3 implements it from
/// each bucket's CORS configuration.
/// </summary>
public interface ICrossOriginPolicy
{
    /// <summary>
    /// The headers that answer a preflight for <paramref name="bucket"/> (and <paramref name="key"/>, when the URL names
    /// an object); throws the service's <see cref="Core.AwsException"/> when no rule allows it.
    /// </summary>
    IReadOnlyList<KeyValuePair<string, string>> Preflight(string bucket, string? key, string origin, string method, IReadOnlyList<string> requestHeaders);

    /// <summary>The <c>Access-Control-*</c> headers for an ordinary request from <paramref name="origin"/>; empty when no rule matches.</summary>
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders(string bucket, string origin, string method);
}
