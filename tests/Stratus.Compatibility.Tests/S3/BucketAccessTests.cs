using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>Public access block, object ownership and ACLs, and how they change who may do what.</summary>
public sealed class BucketAccessTests : IClassFixture<ServerFixture>
{
    private const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    private static readonly HttpClient Http = new();
    private readonly ServerFixture _server;

    public BucketAccessTests(ServerFixture server) => _server = server;

    private static string PublicReadPolicy(string bucket) => $$"""
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{bucket}}/*"}]}
        """;

    private Task<HttpResponseMessage> Anonymous(string path) => Http.GetAsync(new Uri(_server.Endpoint, path));

    private static Task<PutPublicAccessBlockResponse> PutBlock(AmazonS3Client s3, string bucket, bool acls = false, bool ignoreAcls = false, bool policy = false, bool restrict = false) =>
        s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
            {
                BlockPublicAcls = acls,
                IgnorePublicAcls = ignoreAcls,
                BlockPublicPolicy = policy,
                RestrictPublicBuckets = restrict,
            },
        });

    private static Task<PutBucketOwnershipControlsResponse> AllowAcls(AmazonS3Client s3, string bucket, string ownership = "ObjectWriter") =>
        s3.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = new ObjectOwnership(ownership) }] },
        });

    [Fact]
    public async Task The_public_access_block_round_trips_and_is_absent_until_set()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }));
        Assert.Equal("NoSuchPublicAccessBlockConfiguration", missing.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        await PutBlock(s3, bucket, acls: true, restrict: true);
        var stored = (await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket })).PublicAccessBlockConfiguration;
        Assert.True(stored.BlockPublicAcls);
        Assert.False(stored.IgnorePublicAcls);
        Assert.False(stored.BlockPublicPolicy);
        Assert.True(stored.RestrictPublicBuckets);

        await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        Assert.Equal("NoSuchPublicAccessBlockConfiguration", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }))).ErrorCode);

        using var bad = await Http.SendAsync(SignedHttp.Build(_server, "PUT", $"/{bucket}?publicAccessBlock=", "s3",
            "<PublicAccessBlockConfiguration><BlockPublicAcls>maybe</BlockPublicAcls></PublicAccessBlockConfiguration>"u8.ToArray(), "application/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<Code>MalformedXML</Code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockPublicPolicy_refuses_a_public_policy_but_not_one_naming_an_account()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        Assert.Equal("NoSuchBucketPolicy", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket }))).ErrorCode);
        await PutBlock(s3, bucket, policy: true);

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketPolicyAsync(bucket, PublicReadPolicy(bucket)));
        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("BlockPublicPolicy", refused.Message, StringComparison.Ordinal);

        await s3.PutBucketPolicyAsync(bucket, $$"""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::{{ServerFixture.SecondAccountId}}:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{bucket}}/*"}]}
            """);
        Assert.False((await s3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket })).PolicyStatus.IsPublic);

        // A condition on the source address pins a grant to everyone; a wildcard in it does not.
        await s3.PutBucketPolicyAsync(bucket, $$$$"""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{{{bucket}}}}/*",
              "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}
            """);
        await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        await s3.PutBucketPolicyAsync(bucket, PublicReadPolicy(bucket));
        Assert.True((await s3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket })).PolicyStatus.IsPublic);
    }

    [Fact]
    public async Task RestrictPublicBuckets_ignores_a_public_policy_for_anonymous_and_other_accounts_only()
    {
        using var s3 = S3ClientFactory.Create(_server);
        using var other = S3ClientFactory.Create(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        await s3.PutBucketPolicyAsync(bucket, PublicReadPolicy(bucket));
        using (var open = await Anonymous($"/{bucket}/k"))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        (await other.GetObjectAsync(bucket, "k")).Dispose();

        await PutBlock(s3, bucket, restrict: true);
        using (var closed = await Anonymous($"/{bucket}/k"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        }

        Assert.Equal("AccessDenied", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetObjectAsync(bucket, "k"))).ErrorCode);
        (await s3.GetObjectAsync(bucket, "k")).Dispose();

        await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        using var reopened = await Anonymous($"/{bucket}/k");
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
    }

    [Fact]
    public async Task New_buckets_are_owner_enforced_and_refuse_ACLs()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        var controls = (await s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket })).OwnershipControls;
        Assert.Equal("BucketOwnerEnforced", controls.Rules[0].ObjectOwnership.Value);

        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v", CannedACL = S3CannedACL.PublicRead }));
        Assert.Equal("AccessControlListNotSupported", put.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v", CannedACL = S3CannedACL.BucketOwnerFullControl });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "p", ContentBody = "v", CannedACL = S3CannedACL.Private });
        Assert.Equal("AccessControlListNotSupported", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead }))).ErrorCode);
        Assert.Equal("AccessControlListNotSupported", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "k", ACL = S3CannedACL.PublicReadWrite }))).ErrorCode);
        var acl = await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "k" });
        Assert.Single(acl.Grants);
        Assert.Equal(S3Permission.FULL_CONTROL, acl.Grants[0].Permission);

        var created = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync(new PutBucketRequest { BucketName = S3ClientFactory.NewBucketName(), CannedACL = S3CannedACL.PublicRead }));
        Assert.Equal("InvalidBucketAclWithObjectOwnership", created.ErrorCode);

        await s3.DeleteBucketOwnershipControlsAsync(new DeleteBucketOwnershipControlsRequest { BucketName = bucket });
        Assert.Equal("OwnershipControlsNotFoundError", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }))).ErrorCode);
        Assert.Equal("MalformedXML", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => AllowAcls(s3, bucket, "Everybody"))).ErrorCode);
    }

    [Fact]
    public async Task Objects_written_by_another_account_belong_to_the_bucket_owner_as_ownership_says()
    {
        using var s3 = S3ClientFactory.Create(_server);
        using var other = S3ClientFactory.Create(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        var enforced = S3ClientFactory.NewBucketName();
        var preferred = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(enforced);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = preferred, ObjectOwnership = ObjectOwnership.BucketOwnerPreferred });
        foreach (var bucket in new[] { enforced, preferred })
        {
            await s3.PutBucketPolicyAsync(bucket, $$"""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::{{ServerFixture.SecondAccountId}}:root"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::{{bucket}}/*"}]}
                """);
        }

        await other.PutObjectAsync(new PutObjectRequest { BucketName = enforced, Key = "theirs", ContentBody = "x" });
        await other.PutObjectAsync(new PutObjectRequest { BucketName = preferred, Key = "handed-over", ContentBody = "x", CannedACL = S3CannedACL.BucketOwnerFullControl });
        await other.PutObjectAsync(new PutObjectRequest { BucketName = preferred, Key = "kept", ContentBody = "x" });
        var bucketOwner = (await s3.ListBucketsAsync()).Owner.Id;

        Assert.Equal(bucketOwner, await OwnerOf(enforced, "theirs"));
        Assert.Equal(bucketOwner, await OwnerOf(preferred, "handed-over"));
        Assert.Equal(ServerFixture.SecondAccountId, await OwnerOf(preferred, "kept"));
        Assert.Equal(bucketOwner, (await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = preferred, Key = "handed-over" })).Owner.Id);

        async Task<string> OwnerOf(string bucket, string key) =>
            (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = key, FetchOwner = true })).S3Objects.Single().Owner.Id;
    }

    [Fact]
    public async Task Object_ACLs_are_per_version_and_a_version_id_picks_which()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectOwnership = ObjectOwnership.ObjectWriter });
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var first = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "one" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "two" });

        await s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "k", VersionId = first.VersionId, ACL = S3CannedACL.PublicRead });

        var old = await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "k", VersionId = first.VersionId });
        Assert.Contains(old.Grants, g => g.Grantee.URI == AllUsers && g.Permission == S3Permission.READ);
        var current = await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "k" });
        Assert.DoesNotContain(current.Grants, g => g.Grantee.URI == AllUsers);
        var unknown = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "k", VersionId = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }));
        Assert.Equal("NoSuchVersion", unknown.ErrorCode);
    }

    [Fact]
    public async Task A_public_read_object_ACL_lets_anonymous_callers_read_unless_the_public_access_block_says_otherwise()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectOwnership = ObjectOwnership.ObjectWriter });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public", ContentBody = "hello", CannedACL = S3CannedACL.PublicRead });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "private", ContentBody = "secret" });

        using (var open = await Anonymous($"/{bucket}/public"))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            Assert.Equal("hello", await open.Content.ReadAsStringAsync());
        }

        using (var closed = await Anonymous($"/{bucket}/private"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        }

        using (var list = await Anonymous($"/{bucket}?list-type=2"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        }

        var acl = await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "public" });
        Assert.Contains(acl.Grants, g => g.Grantee.URI == AllUsers && g.Permission == S3Permission.READ);

        // Overwriting without an ACL makes the object private again, as in S3.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "public", ContentBody = "v2" });
        using (var overwritten = await Anonymous($"/{bucket}/public"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, overwritten.StatusCode);
        }

        await s3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "public", ACL = S3CannedACL.PublicRead });
        using (var again = await Anonymous($"/{bucket}/public"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        await PutBlock(s3, bucket, ignoreAcls: true);
        using (var ignored = await Anonymous($"/{bucket}/public"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, ignored.StatusCode);
        }

        await PutBlock(s3, bucket, acls: true);
        var blocked = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "new", ContentBody = "x", CannedACL = S3CannedACL.PublicRead }));
        Assert.Equal("AccessDenied", blocked.ErrorCode);
        Assert.Equal("AccessDenied", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead }))).ErrorCode);
    }

    [Fact]
    public async Task Bucket_ACLs_open_listing_and_grant_to_authenticated_users_or_another_account()
    {
        using var s3 = S3ClientFactory.Create(_server);
        using var other = S3ClientFactory.Create(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        await AllowAcls(s3, bucket, "BucketOwnerPreferred");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a", ContentBody = "a" });

        await s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead });
        using (var list = await Anonymous($"/{bucket}?list-type=2"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Contains("<Key>a</Key>", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.AuthenticatedRead });
        using (var anonymous = await Anonymous($"/{bucket}?list-type=2"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        }

        Assert.Single((await other.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects);

        // An AccessControlPolicy body granting the other account READ on one object.
        await s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.Private });
        Assert.Equal("AccessDenied", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetObjectAsync(bucket, "a"))).ErrorCode);
        await s3.PutObjectAclAsync(new PutObjectAclRequest
        {
            BucketName = bucket,
            Key = "a",
            AccessControlPolicy = new S3AccessControlList
            {
                Owner = new Owner { Id = "000000000000" },
                Grants =
                [
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = "000000000000" }, Permission = S3Permission.FULL_CONTROL },
                    new S3Grant { Grantee = new S3Grantee { CanonicalUser = ServerFixture.SecondAccountId }, Permission = S3Permission.READ },
                ],
            },
        });
        using (var read = await other.GetObjectAsync(bucket, "a"))
        {
            Assert.Equal("a", await new StreamReader(read.ResponseStream).ReadToEndAsync());
        }

        var grants = (await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "a" })).Grants;
        Assert.Contains(grants, g => g.Grantee.CanonicalUser == ServerFixture.SecondAccountId && g.Permission == S3Permission.READ);
    }

    [Fact]
    public async Task Malformed_ACLs_are_refused()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectOwnership = ObjectOwnership.ObjectWriter });

        async Task<string> Refused(string body)
        {
            using var response = await Http.SendAsync(SignedHttp.Build(_server, "PUT", $"/{bucket}?acl=", "s3", System.Text.Encoding.UTF8.GetBytes(body), "application/xml"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        const string Xsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
        Assert.Contains("MalformedACLError", await Refused("<AccessControlPolicy><AccessControlList/></AccessControlPolicy>"), StringComparison.Ordinal);
        Assert.Contains("MalformedACLError", await Refused($"<AccessControlPolicy><Owner><ID>000000000000</ID></Owner><AccessControlList><Grant><Grantee {Xsi} xsi:type=\"CanonicalUser\"><ID>000000000000</ID></Grantee><Permission>EVERYTHING</Permission></Grant></AccessControlList></AccessControlPolicy>"), StringComparison.Ordinal);
        Assert.Contains("InvalidArgument", await Refused($"<AccessControlPolicy><Owner><ID>000000000000</ID></Owner><AccessControlList><Grant><Grantee {Xsi} xsi:type=\"Group\"><URI>http://example.com/everyone</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"), StringComparison.Ordinal);
        Assert.Contains("UnresolvableGrantByEmailAddress", await Refused($"<AccessControlPolicy><Owner><ID>000000000000</ID></Owner><AccessControlList><Grant><Grantee {Xsi} xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>a@b.c</EmailAddress></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"), StringComparison.Ordinal);

        var canned = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = new S3CannedACL("world-writable") }));
        Assert.Equal("InvalidArgument", canned.ErrorCode);
    }
    [Fact]
    public async Task Copies_and_multipart_uploads_carry_the_ACL_and_encryption_they_were_asked_for()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectOwnership = ObjectOwnership.BucketOwnerPreferred });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "source", ContentBody = "copied" });
        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "source", DestinationBucket = bucket, DestinationKey = "copy", CannedACL = S3CannedACL.PublicRead });
        using (var copy = await Anonymous($"/{bucket}/copy"))
        {
            Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        }

        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "multi",
            CannedACL = S3CannedACL.PublicRead,
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
        });
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "multi", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream("whole"u8.ToArray()) });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "multi", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });
        using (var multi = await Anonymous($"/{bucket}/multi"))
        {
            Assert.Equal(HttpStatusCode.OK, multi.StatusCode);
            Assert.Equal("whole", await multi.Content.ReadAsStringAsync());
            Assert.Equal("aws:kms", string.Join(",", multi.Headers.GetValues("x-amz-server-side-encryption")));
        }

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "bad", ServerSideEncryptionMethod = new ServerSideEncryptionMethod("XOR") }));
        Assert.Equal("InvalidArgument", refused.ErrorCode);
    }
    [Theory]
    [InlineData("\"*\"", "", true)]
    [InlineData("{\"AWS\": [\"arn:aws:iam::111111111111:root\", \"*\"]}", "", true)]
    [InlineData("{\"AWS\": \"arn:aws:iam::111111111111:root\"}", "", false)]
    [InlineData("\"*\"", ", \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"111111111111\"}}", false)]
    [InlineData("\"*\"", ", \"Condition\": {\"StringLike\": {\"aws:SourceArn\": \"arn:aws:sqs:*\"}}", true)]
    [InlineData("\"*\"", ", \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/0\"}}", true)]
    [InlineData("\"*\"", ", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}", true)]
    public async Task The_policy_status_says_whether_a_policy_grants_to_everyone(string principal, string condition, bool isPublic)
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketPolicyAsync(bucket, $$"""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {{principal}}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{bucket}}/*"{{condition}}}]}
            """);
        Assert.Equal(isPublic, (await s3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket })).PolicyStatus.IsPublic);
    }
}
