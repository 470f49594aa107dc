namespace Stratus.Iam.Users;

/// <summary>
/// A small set of AWS managed policies (<c>arn:aws:iam::aws:policy/…</c>) so that common tutorials work. Their documents
/// follow AWS's in spirit; ReadOnlyAccess lists the read verbs of the services Stratus has rather than AWS's full list.
/// </summary>
internal static class AwsManagedPolicies
{
    private const long Created = 1423958400000; // 2015-02-15, when most of these appeared

    private static readonly Dictionary<string, ManagedPolicyRecord> Policies = Build();

    /// <summary>Every built-in AWS managed policy, in name order.</summary>
    public static IReadOnlyList<ManagedPolicyRecord> All { get; } = [.. Policies.Values.OrderBy(p => p.PolicyName, StringComparer.Ordinal)];

    public static ManagedPolicyRecord? Find(string name) => Policies.GetValueOrDefault(name);

    private static Dictionary<string, ManagedPolicyRecord> Build()
    {
        var policies = new Dictionary<string, ManagedPolicyRecord>(StringComparer.Ordinal);
        void Add(string name, string id, string description, string document) => policies.Add(name, new ManagedPolicyRecord
        {
            Account = "aws",
            PolicyName = name,
            PolicyId = id,
            Description = description,
            Created = Created,
            Updated = Created,
            DefaultVersionId = "v1",
            Versions = [new PolicyVersionRecord { VersionId = "v1", Document = document, Created = Created }],
        });

        Add("AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", "Provides full access to AWS services and resources.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        Add("ReadOnlyAccess", "ANPAILL3HVNFSB6DCOWYQ", "Provides read-only access to AWS services and resources.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","iam:Get*","iam:List*","iam:Generate*","iam:Simulate*","sts:Get*","dynamodb:Describe*","dynamodb:Get*","dynamodb:List*","dynamodb:BatchGet*","dynamodb:Query","dynamodb:Scan","sqs:Get*","sqs:List*","lambda:Get*","lambda:List*","ec2:Describe*","ec2:Get*"],"Resource":"*"}]}""");
        Add("AmazonS3FullAccess", "ANPAIFIR6V6BVTRAHWINE", "Provides full access to all buckets via the AWS Management Console.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}""");
        Add("AmazonS3ReadOnlyAccess", "ANPAIZTJ4DXE7G6AGAE6M", "Provides read only access to all buckets via the AWS Management Console.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}""");
        Add("IAMFullAccess", "ANPAI7XKCFMBPM3QQRRVQ", "Provides full access to IAM via the AWS Management Console.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}""");
        Add("PowerUserAccess", "ANPAJYRXTHIB4FOVS3ZXS", "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization","account:ListRegions","account:GetAccountInformation"],"Resource":"*"}]}""");
        return policies;
    }
}
