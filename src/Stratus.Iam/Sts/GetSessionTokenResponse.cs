using System.Globalization;
using System.Xml;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Codecs;

namespace Stratus.Iam.Sts;

/// <summary>Temporary credentials: key, secret, session token and expiration.</summary>
public sealed record GetSessionTokenResponse(SigningCredential Credential) : IQueryResponse
{
    public void WriteResult(XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartElement("Credentials");
        writer.WriteElementString("AccessKeyId", Credential.AccessKeyId);
        writer.WriteElementString("SecretAccessKey", Credential.SecretAccessKey);
        writer.WriteElementString("SessionToken", Credential.SessionToken);
        writer.WriteElementString("Expiration", Credential.Expiration!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.WriteEndElement();
    }
}
