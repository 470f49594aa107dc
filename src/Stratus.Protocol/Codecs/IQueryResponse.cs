using System.Xml;

namespace Stratus.Protocol.Codecs;

/// <summary>A response of the query protocols (IAM, STS, EC2, SQS query); writes the elements inside <c>&lt;OperationResult&gt;</c>.</summary>
public interface IQueryResponse
{
    void WriteResult(XmlWriter writer);
}
