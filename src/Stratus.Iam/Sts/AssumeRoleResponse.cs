using System.Globalization;
using System.Xml;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Codecs;

namespace Stratus.Iam.Sts;

/// <summary>AssumeRole's answer: the session's credentials, the assumed-role user, the packed policy size and source identity.</summary>
internal sealed record AssumeRoleResponse(SigningCredential Credential, string AssumedRoleId, string Arn, int? PackedPolicySize, string? SourceIdentity) : IQueryResponse
{
    public void WriteResult(XmlWriter writer)
    {
        new GetSessionTokenResponse(Credential).WriteResult(writer);
        writer.WriteStartElement("AssumedRoleUser");
        writer.WriteElementString("AssumedRoleId", AssumedRoleId);
        writer.WriteElementString("Arn", Arn);
        writer.WriteEndElement();
        if (PackedPolicySize is { } size)
        {
            writer.WriteElementString("PackedPolicySize", size.ToString(CultureInfo.InvariantCulture));
        }

        if (SourceIdentity is not null)
        {
            writer.WriteElementString("SourceIdentity", SourceIdentity);
        }
    }
}
