namespace Stratus.Protocol.Catalog;

/// <summary>The wire protocols of the AWS services Stratus serves.</summary>
public enum ServiceProtocol
{
    /// <summary>REST with XML bodies (S3).</summary>
    RestXml,

    /// <summary>REST with JSON bodies (Lambda, EBS, DLM).</summary>
    RestJson,

    /// <summary>JSON RPC 1.0 over POST with <c>X-Amz-Target</c> (DynamoDB, SQS).</summary>
    Json10,

    /// <summary>JSON RPC 1.1 over POST with <c>X-Amz-Target</c>.</summary>
    Json11,

    /// <summary>Form-encoded <c>Action=</c> requests with XML responses (IAM, STS, SQS's older clients).</summary>
    Query,

    /// <summary>The EC2 dialect of the query protocol.</summary>
    Ec2Query,
}
