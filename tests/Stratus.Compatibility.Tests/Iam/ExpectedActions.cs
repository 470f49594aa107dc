namespace Stratus.Compatibility.Tests.Iam;

/// <summary>What kind of resource an action is authorized on.</summary>
internal enum ResourceKind
{
    /// <summary>"*" or an ARN of the action's own service.</summary>
    Service,

    /// <summary>No resource in particular: "*".</summary>
    Any,

    /// <summary>An S3 bucket ARN, <c>arn:aws:s3:::bucket</c>.</summary>
    Bucket,

    /// <summary>An S3 object ARN, <c>arn:aws:s3:::bucket/key</c>.</summary>
    Object,

    /// <summary>An IAM role ARN, <c>arn:aws:iam::account:role/name</c> (what sts:AssumeRole is checked on).</summary>
    Role,
}

/// <summary>The IAM action AWS checks for an operation (null: AWS checks none) and its resource's kind.</summary>
internal readonly record struct Expectation(string? Action, ResourceKind Resource);

/// <summary>
/// AWS's IAM action for each operation, from the Service Authorization Reference ("Actions, resources, and condition
/// keys for …") and each operation's API reference "Permissions" section. S3 is irregular, so every S3 operation is
/// listed; elsewhere the action is the operation's name under the service's prefix, except where listed.
/// </summary>
internal static class ExpectedActions
{
    private const ResourceKind B = ResourceKind.Bucket;
    private const ResourceKind O = ResourceKind.Object;

    public static readonly IReadOnlyDictionary<string, Expectation> S3 = new Dictionary<string, Expectation>(StringComparer.Ordinal)
    {
        ["AbortMultipartUpload"] = new("s3:AbortMultipartUpload", O),
        ["CompleteMultipartUpload"] = new("s3:PutObject", O),
        ["CopyObject"] = new("s3:PutObject", O), // and s3:GetObject on the source
        ["CreateBucket"] = new("s3:CreateBucket", B),
        ["CreateBucketMetadataConfiguration"] = new("s3:CreateBucketMetadataTableConfiguration", B),
        ["CreateBucketMetadataTableConfiguration"] = new("s3:CreateBucketMetadataTableConfiguration", B),
        ["CreateMultipartUpload"] = new("s3:PutObject", O),
        ["CreateSession"] = new("s3express:CreateSession", ResourceKind.Service),
        ["DeleteBucket"] = new("s3:DeleteBucket", B),
        ["DeleteBucketAnalyticsConfiguration"] = new("s3:PutAnalyticsConfiguration", B),
        ["DeleteBucketCors"] = new("s3:PutBucketCORS", B),
        ["DeleteBucketEncryption"] = new("s3:PutEncryptionConfiguration", B),
        ["DeleteBucketIntelligentTieringConfiguration"] = new("s3:PutIntelligentTieringConfiguration", B),
        ["DeleteBucketInventoryConfiguration"] = new("s3:PutInventoryConfiguration", B),
        ["DeleteBucketLifecycle"] = new("s3:PutLifecycleConfiguration", B),
        ["DeleteBucketMetadataConfiguration"] = new("s3:DeleteBucketMetadataTableConfiguration", B),
        ["DeleteBucketMetadataTableConfiguration"] = new("s3:DeleteBucketMetadataTableConfiguration", B),
        ["DeleteBucketMetricsConfiguration"] = new("s3:PutMetricsConfiguration", B),
        ["DeleteBucketOwnershipControls"] = new("s3:PutBucketOwnershipControls", B),
        ["DeleteBucketPolicy"] = new("s3:DeleteBucketPolicy", B),
        ["DeleteBucketReplication"] = new("s3:PutReplicationConfiguration", B),
        ["DeleteBucketTagging"] = new("s3:PutBucketTagging", B),
        ["DeleteBucketWebsite"] = new("s3:DeleteBucketWebsite", B),
        ["DeleteObject"] = new("s3:DeleteObject", O),
        ["DeleteObjectTagging"] = new("s3:DeleteObjectTagging", O),
        ["DeleteObjects"] = new("s3:DeleteObject", O), // for each key
        ["DeletePublicAccessBlock"] = new("s3:PutBucketPublicAccessBlock", B),
        ["GetBucketAbac"] = new("s3:GetBucketAbac", B),
        ["GetBucketAccelerateConfiguration"] = new("s3:GetAccelerateConfiguration", B),
        ["GetBucketAcl"] = new("s3:GetBucketAcl", B),
        ["GetBucketAnalyticsConfiguration"] = new("s3:GetAnalyticsConfiguration", B),
        ["GetBucketCors"] = new("s3:GetBucketCORS", B),
        ["GetBucketEncryption"] = new("s3:GetEncryptionConfiguration", B),
        ["GetBucketIntelligentTieringConfiguration"] = new("s3:GetIntelligentTieringConfiguration", B),
        ["GetBucketInventoryConfiguration"] = new("s3:GetInventoryConfiguration", B),
        ["GetBucketLifecycle"] = new("s3:GetLifecycleConfiguration", B),
        ["GetBucketLifecycleConfiguration"] = new("s3:GetLifecycleConfiguration", B),
        ["GetBucketLocation"] = new("s3:GetBucketLocation", B),
        ["GetBucketLogging"] = new("s3:GetBucketLogging", B),
        ["GetBucketMetadataConfiguration"] = new("s3:GetBucketMetadataTableConfiguration", B),
        ["GetBucketMetadataTableConfiguration"] = new("s3:GetBucketMetadataTableConfiguration", B),
        ["GetBucketMetricsConfiguration"] = new("s3:GetMetricsConfiguration", B),
        ["GetBucketNotification"] = new("s3:GetBucketNotification", B),
        ["GetBucketNotificationConfiguration"] = new("s3:GetBucketNotification", B),
        ["GetBucketOwnershipControls"] = new("s3:GetBucketOwnershipControls", B),
        ["GetBucketPolicy"] = new("s3:GetBucketPolicy", B),
        ["GetBucketPolicyStatus"] = new("s3:GetBucketPolicyStatus", B),
        ["GetBucketReplication"] = new("s3:GetReplicationConfiguration", B),
        ["GetBucketRequestPayment"] = new("s3:GetBucketRequestPayment", B),
        ["GetBucketTagging"] = new("s3:GetBucketTagging", B),
        ["GetBucketVersioning"] = new("s3:GetBucketVersioning", B),
        ["GetBucketWebsite"] = new("s3:GetBucketWebsite", B),
        ["GetObject"] = new("s3:GetObject", O),
        ["GetObjectAcl"] = new("s3:GetObjectAcl", O),
        ["GetObjectAttributes"] = new("s3:GetObjectAttributes", O),
        ["GetObjectLegalHold"] = new("s3:GetObjectLegalHold", O),
        ["GetObjectLockConfiguration"] = new("s3:GetBucketObjectLockConfiguration", B),
        ["GetObjectRetention"] = new("s3:GetObjectRetention", O),
        ["GetObjectTagging"] = new("s3:GetObjectTagging", O),
        ["GetObjectTorrent"] = new("s3:GetObjectTorrent", O),
        ["GetPublicAccessBlock"] = new("s3:GetBucketPublicAccessBlock", B),
        ["HeadBucket"] = new("s3:ListBucket", B),
        ["HeadObject"] = new("s3:GetObject", O),
        ["ListBucketAnalyticsConfigurations"] = new("s3:GetAnalyticsConfiguration", B),
        ["ListBucketIntelligentTieringConfigurations"] = new("s3:GetIntelligentTieringConfiguration", B),
        ["ListBucketInventoryConfigurations"] = new("s3:GetInventoryConfiguration", B),
        ["ListBucketMetricsConfigurations"] = new("s3:GetMetricsConfiguration", B),
        ["ListBuckets"] = new("s3:ListAllMyBuckets", ResourceKind.Any),
        ["ListDirectoryBuckets"] = new("s3express:ListAllMyDirectoryBuckets", ResourceKind.Any),
        ["ListMultipartUploads"] = new("s3:ListBucketMultipartUploads", B),
        ["ListObjectVersions"] = new("s3:ListBucketVersions", B),
        ["ListObjects"] = new("s3:ListBucket", B),
        ["ListObjectsV2"] = new("s3:ListBucket", B),
        ["ListParts"] = new("s3:ListMultipartUploadParts", O),
        ["PutBucketAbac"] = new("s3:PutBucketAbac", B),
        ["PutBucketAccelerateConfiguration"] = new("s3:PutAccelerateConfiguration", B),
        ["PutBucketAcl"] = new("s3:PutBucketAcl", B),
        ["PutBucketAnalyticsConfiguration"] = new("s3:PutAnalyticsConfiguration", B),
        ["PutBucketCors"] = new("s3:PutBucketCORS", B),
        ["PutBucketEncryption"] = new("s3:PutEncryptionConfiguration", B),
        ["PutBucketIntelligentTieringConfiguration"] = new("s3:PutIntelligentTieringConfiguration", B),
        ["PutBucketInventoryConfiguration"] = new("s3:PutInventoryConfiguration", B),
        ["PutBucketLifecycle"] = new("s3:PutLifecycleConfiguration", B),
        ["PutBucketLifecycleConfiguration"] = new("s3:PutLifecycleConfiguration", B),
        ["PutBucketLogging"] = new("s3:PutBucketLogging", B),
        ["PutBucketMetricsConfiguration"] = new("s3:PutMetricsConfiguration", B),
        ["PutBucketNotification"] = new("s3:PutBucketNotification", B),
        ["PutBucketNotificationConfiguration"] = new("s3:PutBucketNotification", B),
        ["PutBucketOwnershipControls"] = new("s3:PutBucketOwnershipControls", B),
        ["PutBucketPolicy"] = new("s3:PutBucketPolicy", B),
        ["PutBucketReplication"] = new("s3:PutReplicationConfiguration", B),
        ["PutBucketRequestPayment"] = new("s3:PutBucketRequestPayment", B),
        ["PutBucketTagging"] = new("s3:PutBucketTagging", B),
        ["PutBucketVersioning"] = new("s3:PutBucketVersioning", B),
        ["PutBucketWebsite"] = new("s3:PutBucketWebsite", B),
        ["PutObject"] = new("s3:PutObject", O),
        ["PutObjectAcl"] = new("s3:PutObjectAcl", O),
        ["PutObjectLegalHold"] = new("s3:PutObjectLegalHold", O),
        ["PutObjectLockConfiguration"] = new("s3:PutBucketObjectLockConfiguration", B),
        ["PutObjectRetention"] = new("s3:PutObjectRetention", O),
        ["PutObjectTagging"] = new("s3:PutObjectTagging", O),
        ["PutPublicAccessBlock"] = new("s3:PutBucketPublicAccessBlock", B),
        ["RenameObject"] = new("s3express:CreateSession", ResourceKind.Service), // directory buckets: session-based
        ["RestoreObject"] = new("s3:RestoreObject", O),
        ["SelectObjectContent"] = new("s3:GetObject", O),
        ["UpdateBucketMetadataInventoryTableConfiguration"] = new("s3:UpdateBucketMetadataInventoryTableConfiguration", B),
        ["UpdateBucketMetadataJournalTableConfiguration"] = new("s3:UpdateBucketMetadataJournalTableConfiguration", B),
        ["UpdateObjectEncryption"] = new("s3:UpdateObjectEncryption", O),
        ["UploadPart"] = new("s3:PutObject", O),
        ["UploadPartCopy"] = new("s3:PutObject", O), // and s3:GetObject on the source
        ["WriteGetObjectResponse"] = new("s3-object-lambda:WriteGetObjectResponse", ResourceKind.Service),
    };

    // Services whose actions are mostly "prefix:OperationName": the exceptions.
    private static readonly Dictionary<string, Expectation> Exceptions = new Dictionary<string, Expectation>(StringComparer.Ordinal)
    {
        // STS: AWS evaluates no policy for these (any valid credential may call them).
        ["sts:GetCallerIdentity"] = new(null, ResourceKind.Any),
        ["sts:GetSessionToken"] = new(null, ResourceKind.Any),
        // AssumeRole is checked on the role it assumes.
        ["sts:AssumeRole"] = new("sts:AssumeRole", ResourceKind.Role),
        // Called without credentials: the role's trust policy decides, not the caller's identity policies.
        ["sts:AssumeRoleWithWebIdentity"] = new(null, ResourceKind.Any),
        ["sts:AssumeRoleWithSAML"] = new(null, ResourceKind.Any),
        // SQS batch operations are authorized as their single-message action.
        ["sqs:SendMessageBatch"] = new("sqs:SendMessage", ResourceKind.Service),
        ["sqs:DeleteMessageBatch"] = new("sqs:DeleteMessage", ResourceKind.Service),
        ["sqs:ChangeMessageVisibilityBatch"] = new("sqs:ChangeMessageVisibility", ResourceKind.Service),
        // Lambda: every way of invoking is lambda:InvokeFunction.
        ["lambda:Invoke"] = new("lambda:InvokeFunction", ResourceKind.Service),
        ["lambda:InvokeAsync"] = new("lambda:InvokeFunction", ResourceKind.Service),
        ["lambda:InvokeWithResponseStream"] = new("lambda:InvokeFunction", ResourceKind.Service),
    };

    // The IAM prefix of each service of the catalog.
    private static readonly Dictionary<string, string> Prefixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["iam"] = "iam",
        ["sts"] = "sts",
        ["sqs"] = "sqs",
        ["dynamodb"] = "dynamodb",
        ["dynamodbstreams"] = "dynamodb",
        ["lambda"] = "lambda",
        ["ec2"] = "ec2",
        ["ebs"] = "ebs",
        ["dlm"] = "dlm",
    };

    /// <summary>Bodies for operations that cannot reach the authorization step with an empty one.</summary>
    public static readonly IReadOnlyDictionary<string, string> SampleBodies = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DeleteObjects"] = "<Delete><Object><Key>photos/a.jpg</Key></Object></Delete>",
        ["AssumeRole"] = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fcoverage-role&RoleSessionName=coverage",
    };

    /// <summary>Header values that must be well-formed for an operation to reach its authorization (the model's "value" is not).</summary>
    public static readonly IReadOnlyDictionary<string, KeyValuePair<string, string>[]> SampleHeaders = new Dictionary<string, KeyValuePair<string, string>[]>(StringComparer.Ordinal)
    {
        ["GetObjectAttributes"] = [new("x-amz-object-attributes", "ETag")],
    };

    /// <summary>The expectation for <paramref name="operation"/> of <paramref name="service"/>, or null when none is known.</summary>
    public static Expectation? For(string service, string operation)
    {
        if (service == "s3")
        {
            return S3.TryGetValue(operation, out var s3) ? s3 : null;
        }

        if (!Prefixes.TryGetValue(service, out var prefix))
        {
            return null;
        }

        var action = prefix + ":" + operation;
        return Exceptions.TryGetValue(action, out var exception) ? exception : new Expectation(action, ResourceKind.Service);
    }
}
