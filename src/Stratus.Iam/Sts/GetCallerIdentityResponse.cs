using System.Xml;
using Stratus.Protocol.Codecs;

namespace Stratus.Iam.Sts;

/// <summary>Who the caller is: user id, account and ARN.</summary>
public sealed record GetCallerIdentityResponse(string UserId, string Account, string Arn) : IQueryResponse
{
    public void WriteResult(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteElementString("UserId", UserId);
        writer.WriteElementString("Account", Account);
        writer.WriteElementString("Arn", Arn);
    }
}
