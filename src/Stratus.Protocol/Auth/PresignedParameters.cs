namespace Stratus.Protocol.Auth;

/// <summary>The authentication parameters of a presigned (query-string) request, percent-decoded.</summary>
internal readonly struct PresignedParameters
{
    public string? Algorithm { get; private init; }
    public string? Credential { get; private init; }
    public string? Date { get; private init; }
    public string? Expires { get; private init; }
    public string? SignedHeaders { get; private init; }
    public string? Signature { get; private init; }
    public string? SecurityToken { get; private init; }
    public string? ContentSha256 { get; private init; }
    public string? SigV2AccessKeyId { get; private init; }
    public string? SigV2Signature { get; private init; }
    public string? SigV2Expires { get; private init; }
    public string? SigV2SecurityToken { get; private init; }

    public static PresignedParameters Parse(string rawQuery)
    {
        string? algorithm = null, credential = null, date = null, expires = null, signedHeaders = null,
            signature = null, token = null, contentSha256 = null, v2Key = null, v2Signature = null, v2Expires = null, v2Token = null;
        var query = rawQuery.AsSpan();
        while (query.Length > 0)
        {
            var amp = query.IndexOf('&');
            var part = amp < 0 ? query : query[..amp];
            query = amp < 0 ? default : query[(amp + 1)..];
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var name = part[..eq];
            var value = part[(eq + 1)..];
            switch (name)
            {
                case "X-Amz-Algorithm": algorithm ??= Decode(value); break;
                case "X-Amz-Credential": credential ??= Decode(value); break;
                case "X-Amz-Date": date ??= Decode(value); break;
                case "X-Amz-Expires": expires ??= Decode(value); break;
                case "X-Amz-SignedHeaders": signedHeaders ??= Decode(value); break;
                case "X-Amz-Signature": signature ??= Decode(value); break;
                case "X-Amz-Security-Token": token ??= Decode(value); break;
                case "X-Amz-Content-Sha256": contentSha256 ??= Decode(value); break;
                case "AWSAccessKeyId": v2Key ??= Decode(value); break;
                case "Signature": v2Signature ??= Decode(value); break;
                case "Expires": v2Expires ??= Decode(value); break;
                case "x-amz-security-token": v2Token ??= Decode(value); break;
                default: break;
            }
        }

        return new PresignedParameters
        {
            Algorithm = algorithm,
            Credential = credential,
            Date = date,
            Expires = expires,
            SignedHeaders = signedHeaders,
            Signature = signature,
            SecurityToken = token,
            ContentSha256 = contentSha256,
            SigV2AccessKeyId = v2Key,
            SigV2Signature = v2Signature,
            SigV2Expires = v2Expires,
            SigV2SecurityToken = v2Token,
        };
    }

    private static string Decode(ReadOnlySpan<char> value) => value.Contains('%') ? Uri.UnescapeDataString(value) : value.ToString();
}
