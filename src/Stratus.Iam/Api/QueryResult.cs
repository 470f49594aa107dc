using System.Xml;
using Stratus.Protocol.Codecs;

namespace Stratus.Iam.Api;

/// <summary>A query-protocol result written by a function: the elements inside <c>&lt;OperationResult&gt;</c>.</summary>
internal sealed class QueryResult : IQueryResponse
{
    private readonly Action<XmlWriter> _write;

    public QueryResult(Action<XmlWriter> write) => _write = write;

    public void WriteResult(XmlWriter writer) => _write(writer);
}
