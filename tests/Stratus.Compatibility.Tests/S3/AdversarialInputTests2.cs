using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;
using Stratus.Protocol.Auth;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>
/// A second round of adversarial S3 requests: authentication, authorization, ranges and conditionals, copies, CORS,
/// versions, ACLs and tags, and batch deletes. Each must be answered as Amazon S3 answers it.
/// </summary>
public sealed class AdversarialInputTests2 : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private static readonly XNamespace S3Ns = "http://s3.amazonaws.com/doc/2006-03-01/";
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly AmazonS3Client _other;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public AdversarialInputTests2(ServerFixture server)
    {
        _server = server;
        _s3 = S3ClientFactory.Create(server);
        _other = S3ClientFactory.Create(server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "digits", ContentBody = "0123456789" });
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        _other.Dispose();
        return Task.CompletedTask;
    }

    // ---------------------------------------------------------------- authentication: presigned URLs

    [Fact]
    public async Task An_expired_presigned_url_is_AccessDenied()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var reply = await Url("GET", Presign("GET", $"/{_bucket}/digits", TimeSpan.FromSeconds(60), clock: clock));
        S3Reply.AssertError(reply, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Contains("expired", reply.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("604801")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("0")]
    public async Task A_presigned_url_with_a_bad_X_Amz_Expires_is_AuthorizationQueryParametersError(string expires)
    {
        var url = Regex.Replace(Presign("GET", $"/{_bucket}/digits", TimeSpan.FromSeconds(60)), "X-Amz-Expires=60", "X-Amz-Expires=" + expires);
        S3Reply.AssertError(await Url("GET", url), HttpStatusCode.BadRequest, "AuthorizationQueryParametersError");
    }

    [Fact]
    public async Task A_presigned_url_with_a_tampered_signature_is_SignatureDoesNotMatch()
    {
        var url = Presign("GET", $"/{_bucket}/digits", TimeSpan.FromMinutes(5));
        var at = url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + "X-Amz-Signature=".Length;
        var tampered = url[..at] + (url[at] == '0' ? '1' : '0') + url[(at + 1)..];
        S3Reply.AssertError(await Url("GET", tampered), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task A_presigned_GET_used_for_a_PUT_is_SignatureDoesNotMatch_and_stores_nothing()
    {
        var url = Presign("GET", $"/{_bucket}/presign-put", TimeSpan.FromMinutes(5));
        S3Reply.AssertError(await Url("PUT", url, Encoding.UTF8.GetBytes("evil")), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/presign-put"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    // One endpoint serves every service, and Stratus picks the service from the credential scope, so a URL signed for IAM
    // goes to IAM, which refuses it (403 SignatureDoesNotMatch in IAM's ErrorResponse shape; S3 would answer 400
    // AuthorizationQueryParametersError). Either way nothing is served.
    [Fact]
    public async Task A_presigned_url_scoped_to_another_service_is_refused()
    {
        var reply = await Url("GET", Presign("GET", $"/{_bucket}/digits", TimeSpan.FromMinutes(5), service: "iam"));
        Assert.True(reply.Status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, reply.Body);
        Assert.Contains("<Code>", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presigned_url_whose_scope_date_differs_from_X_Amz_Date_is_refused()
    {
        var url = Presign("GET", $"/{_bucket}/digits", TimeSpan.FromMinutes(5));
        var today = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var tampered = url.Replace("%2F" + today + "%2F", "%2F20200101%2F", StringComparison.Ordinal);
        Assert.NotEqual(url, tampered);
        var reply = await Url("GET", tampered);
        Assert.True(reply.Status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, reply.Body);
        S3Reply.AssertXmlError(reply);
    }

    [Fact]
    public async Task A_presigned_url_without_X_Amz_SignedHeaders_is_AuthorizationQueryParametersError()
    {
        var url = Regex.Replace(Presign("GET", $"/{_bucket}/digits", TimeSpan.FromMinutes(5)), "&X-Amz-SignedHeaders=[^&]*", "");
        S3Reply.AssertError(await Url("GET", url), HttpStatusCode.BadRequest, "AuthorizationQueryParametersError");
    }

    [Fact]
    public async Task A_presigned_url_dated_an_hour_ahead_is_AccessDenied()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1));
        S3Reply.AssertError(await Url("GET", Presign("GET", $"/{_bucket}/digits", TimeSpan.FromMinutes(5), clock: clock)), HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task A_presigned_url_that_also_carries_an_Authorization_header_is_InvalidArgument()
    {
        var url = Presign("GET", $"/{_bucket}/digits", TimeSpan.FromMinutes(5));
        using var request = SignedHttp.Build(_server, "GET", url, "s3", [], null);
        var reply = await Exchange(request);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    // ---------------------------------------------------------------- authentication: header signatures

    [Fact]
    public async Task A_header_signature_dated_20_minutes_ago_is_RequestTimeTooSkewed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-20));
        using var request = SignedHttp.Build(_server, "GET", $"/{_bucket}/digits", "s3", [], null, clock: clock);
        S3Reply.AssertError(await Exchange(request), HttpStatusCode.Forbidden, "RequestTimeTooSkewed");
    }

    [Fact]
    public async Task A_header_signature_without_x_amz_content_sha256_is_InvalidRequest()
    {
        var signer = new SigV4Signer(TimeProvider.System);
        var signature = signer.Sign(
            new SignedRequest { Method = "GET", RawPath = $"/{_bucket}/digits", RawQuery = "", Headers = [new("Host", _server.Endpoint.Authority)], PayloadHash = Convert.ToHexStringLower(SHA256.HashData([])) },
            new SigV4SigningOptions { AccessKeyId = "test", SecretAccessKey = "test", Region = "us-east-1", Service = "s3", Rules = SigV4Rules.Default });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.Endpoint, $"/{_bucket}/digits"));
        foreach (var (name, value) in signature.Request.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        Assert.DoesNotContain(request.Headers, h => h.Key.Equals("x-amz-content-sha256", StringComparison.OrdinalIgnoreCase));
        S3Reply.AssertError(await Exchange(request), HttpStatusCode.BadRequest, "InvalidRequest");
    }

    [Fact]
    public async Task An_unknown_access_key_is_InvalidAccessKeyId_and_a_wrong_secret_SignatureDoesNotMatch()
    {
        using (var unknown = SignedHttp.Build(_server, "GET", $"/{_bucket}/digits", "s3", [], null, accessKey: "AKIADOESNOTEXIST0001", secret: "x"))
        {
            S3Reply.AssertError(await Exchange(unknown), HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        }

        using var wrong = SignedHttp.Build(_server, "PUT", $"/{_bucket}/digits", "s3", "overwritten"u8.ToArray(), null, secret: "not-the-secret");
        S3Reply.AssertError(await Exchange(wrong), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
        Assert.Equal("0123456789", (await Send("GET", $"/{_bucket}/digits")).Body);
    }

    [Theory]
    [InlineData("GET", "/{bucket}/digits")]
    [InlineData("HEAD", "/{bucket}/digits")]
    [InlineData("GET", "/{bucket}?list-type=2")]
    [InlineData("PUT", "/{bucket}/anon")]
    [InlineData("DELETE", "/{bucket}/digits")]
    [InlineData("GET", "/{bucket}?policy")]
    public async Task Anonymous_requests_to_a_private_bucket_are_AccessDenied(string method, string path)
    {
        var reply = await Url(method, path.Replace("{bucket}", _bucket, StringComparison.Ordinal), method == "PUT" ? "x"u8.ToArray() : null);
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        if (method != "HEAD")
        {
            S3Reply.AssertError(reply, HttpStatusCode.Forbidden, "AccessDenied");
        }

        Assert.Equal("0123456789", (await Send("GET", $"/{_bucket}/digits")).Body);
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/anon"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task A_SigV2_header_signature_works_and_a_wrong_one_is_SignatureDoesNotMatch()
    {
        var date = DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        var good = SigV2($"GET\n\n\n{date}\n/{_bucket}/digits", "test");
        var ok = await Url("GET", $"/{_bucket}/digits", null, [new("Date", date), new("Authorization", $"AWS test:{good}")]);
        Assert.Equal((HttpStatusCode.OK, "0123456789"), (ok.Status, ok.Body));

        var bad = SigV2($"GET\n\n\n{date}\n/{_bucket}/digits", "wrong");
        S3Reply.AssertError(await Url("GET", $"/{_bucket}/digits", null, [new("Date", date), new("Authorization", $"AWS test:{bad}")]), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task An_expired_SigV2_presigned_url_is_AccessDenied()
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Uri.EscapeDataString(SigV2($"GET\n\n\n{expires}\n/{_bucket}/digits", "test"));
        var reply = await Url("GET", $"/{_bucket}/digits?AWSAccessKeyId=test&Expires={expires}&Signature={signature}");
        S3Reply.AssertError(reply, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task A_SigV2_header_dated_an_hour_ago_is_RequestTimeTooSkewed()
    {
        var date = DateTime.UtcNow.AddHours(-1).ToString("r", CultureInfo.InvariantCulture);
        var signature = SigV2($"GET\n\n\n{date}\n/{_bucket}/digits", "test");
        S3Reply.AssertError(await Url("GET", $"/{_bucket}/digits", null, [new("Date", date), new("Authorization", $"AWS test:{signature}")]), HttpStatusCode.Forbidden, "RequestTimeTooSkewed");
    }

    // ---------------------------------------------------------------- authorization

    [Fact]
    public async Task Another_account_can_neither_read_write_list_nor_delete_in_a_private_bucket()
    {
        async Task Denied(Func<Task> call)
        {
            var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(call);
            Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
        }

        await Denied(() => _other.GetObjectAsync(_bucket, "digits"));
        await Denied(() => _other.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "digits", ContentBody = "stolen" }));
        await Denied(() => _other.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket }));
        await Denied(() => _other.DeleteObjectAsync(_bucket, "digits"));
        await Denied(() => _other.GetBucketPolicyAsync(_bucket));
        await Denied(() => _other.DeleteBucketAsync(_bucket));
        var batch = await Send("POST", $"/{_bucket}?delete", XmlBody("<Delete><Object><Key>digits</Key></Object></Delete>"), [new("Content-MD5", Md5Of("<Delete><Object><Key>digits</Key></Object></Delete>"))], "application/xml", second: true);
        Assert.True(batch.Status == HttpStatusCode.Forbidden || !batch.Body.Contains("<Deleted>", StringComparison.Ordinal), batch.Body);
        Assert.Equal("0123456789", (await Send("GET", $"/{_bucket}/digits")).Body);
    }

    [Fact]
    public async Task An_explicit_deny_on_DeleteObject_beats_an_allow_of_s3_star()
    {
        await _s3.PutBucketPolicyAsync(_bucket, $$"""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": "{{ServerFixture.SecondAccountId}}"}, "Action": "s3:*", "Resource": ["arn:aws:s3:::{{_bucket}}", "arn:aws:s3:::{{_bucket}}/*"]},
              {"Effect": "Deny", "Principal": {"AWS": "{{ServerFixture.SecondAccountId}}"}, "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::{{_bucket}}/*"}]}
            """);
        await _other.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "by-other", ContentBody = "o" });
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _other.DeleteObjectAsync(_bucket, "by-other"));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
        var batch = await Send("POST", $"/{_bucket}?delete", XmlBody("<Delete><Object><Key>digits</Key></Object></Delete>"), [new("Content-MD5", Md5Of("<Delete><Object><Key>digits</Key></Object></Delete>"))], "application/xml", second: true);
        Assert.DoesNotContain("<Deleted>", batch.Body, StringComparison.Ordinal);
        Assert.Equal("0123456789", (await Send("GET", $"/{_bucket}/digits")).Body);
        Assert.Equal("o", (await Send("GET", $"/{_bucket}/by-other")).Body);
    }

    [Fact]
    public async Task A_public_GetObject_policy_lets_anonymous_HEAD_but_not_DELETE_or_policy_reads()
    {
        await _s3.PutBucketPolicyAsync(_bucket, $$"""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{_bucket}}/*"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, (await Url("HEAD", $"/{_bucket}/digits")).Status);
        Assert.Equal("345", (await Url("GET", $"/{_bucket}/digits", null, [new("Range", "bytes=3-5")])).Body);
        S3Reply.AssertError(await Url("DELETE", $"/{_bucket}/digits"), HttpStatusCode.Forbidden, "AccessDenied");
        S3Reply.AssertError(await Url("GET", $"/{_bucket}?policy"), HttpStatusCode.Forbidden, "AccessDenied");
        S3Reply.AssertError(await Url("GET", $"/{_bucket}/digits?tagging"), HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Equal("0123456789", (await Send("GET", $"/{_bucket}/digits")).Body);
    }

    [Theory]
    [InlineData("bad-version", """{"Version": "2020-01-01", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{bucket}/*"}]}""")]
    [InlineData("truncated-json", """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{bucket}/*"}""")]
    [InlineData("no-statements", """{"Version": "2012-10-17", "Statement": []}""")]
    public async Task Policies_with_a_bad_version_bad_json_or_no_statements_are_MalformedPolicy(string name, string policy)
    {
        var body = policy.Replace("{bucket}", _bucket, StringComparison.Ordinal);
        Assert.NotEmpty(name);
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}?policy", Encoding.UTF8.GetBytes(body), [new("Content-MD5", Md5Of(body))], "application/json"), HttpStatusCode.BadRequest, "MalformedPolicy");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}?policy"), HttpStatusCode.NotFound, "NoSuchBucketPolicy");
    }

    [Theory]
    [InlineData("foreign-resource", """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::some-other-bucket-zz/*"}]}""")]
    [InlineData("no-resource", """{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}""")]
    public async Task Policies_with_a_foreign_resource_or_no_resource_are_MalformedPolicy(string name, string policy)
    {
        var body = policy.Replace("{bucket}", _bucket, StringComparison.Ordinal);
        Assert.NotEmpty(name);
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}?policy", Encoding.UTF8.GetBytes(body), [new("Content-MD5", Md5Of(body))], "application/json"), HttpStatusCode.BadRequest, "MalformedPolicy");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}?policy"), HttpStatusCode.NotFound, "NoSuchBucketPolicy");
    }

    [Fact]
    public async Task A_policy_over_20_KB_is_refused_and_not_stored()
    {
        var statements = string.Join(",", Enumerable.Range(0, 200).Select(i =>
            $$"""{"Sid": "S{{i}}", "Effect": "Allow", "Principal": {"AWS": "{{ServerFixture.SecondAccountId}}"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{_bucket}}/prefix-{{i}}/*"}"""));
        var body = $$"""{"Version": "2012-10-17", "Statement": [{{statements}}]}""";
        Assert.True(body.Length > 20 * 1024);
        var reply = await Send("PUT", $"/{_bucket}?policy", Encoding.UTF8.GetBytes(body), [new("Content-MD5", Md5Of(body))], "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains(reply.Code, new[] { "PolicyTooLarge", "MalformedPolicy" });
        S3Reply.AssertXmlError(reply);
        S3Reply.AssertError(await Send("GET", $"/{_bucket}?policy"), HttpStatusCode.NotFound, "NoSuchBucketPolicy");
    }

    [Fact]
    public async Task BlockPublicAcls_refuses_a_public_read_object_put()
    {
        await _s3.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = _bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.BucketOwnerPreferred }] },
        });
        await _s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = _bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true },
        });
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/public-obj", "x"u8.ToArray(), [new("x-amz-acl", "public-read")]), HttpStatusCode.Forbidden, "AccessDenied");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/public-obj"), HttpStatusCode.NotFound, "NoSuchKey");
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/digits?acl", [], [new("x-amz-acl", "public-read-write")]), HttpStatusCode.Forbidden, "AccessDenied");
    }

    // ---------------------------------------------------------------- ranges and conditionals

    [Theory]
    [InlineData("bytes=10-20")]
    [InlineData("bytes=100-")]
    public async Task A_range_starting_past_the_end_is_InvalidRange_416(string range)
    {
        var reply = await Send("GET", $"/{_bucket}/digits", null, [new("Range", range)]);
        S3Reply.AssertError(reply, HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange");
        Assert.Equal("10", reply.Element("ActualObjectSize"));
    }

    [Fact]
    public async Task A_range_running_past_the_end_and_a_suffix_larger_than_the_object_are_clamped()
    {
        var tail = await Send("GET", $"/{_bucket}/digits", null, [new("Range", "bytes=5-100")]);
        Assert.Equal((HttpStatusCode.PartialContent, "56789", "bytes 5-9/10"), (tail.Status, tail.Body, tail.Header("Content-Range")));
        var suffix = await Send("GET", $"/{_bucket}/digits", null, [new("Range", "bytes=-100")]);
        Assert.Equal((HttpStatusCode.PartialContent, "0123456789", "bytes 0-9/10"), (suffix.Status, suffix.Body, suffix.Header("Content-Range")));
    }

    [Theory]
    [InlineData("bytes=0-0")]
    [InlineData("bytes=-1")]
    [InlineData("bytes=0-")]
    public async Task Any_range_on_an_empty_object_is_InvalidRange(string range)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "empty", ContentBody = "" });
        var reply = await Send("GET", $"/{_bucket}/empty", null, [new("Range", range)]);
        S3Reply.AssertError(reply, HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange");
    }

    [Fact]
    public async Task If_Match_and_If_None_Match_accept_lists_of_etags()
    {
        var etag = (await _s3.GetObjectMetadataAsync(_bucket, "digits")).ETag;
        Assert.Equal(HttpStatusCode.OK, (await Send("GET", $"/{_bucket}/digits", null, [new("If-Match", $"\"aaaa\", {etag}")])).Status);
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/digits", null, [new("If-Match", "\"aaaa\", \"bbbb\"")]), HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        Assert.Equal(HttpStatusCode.NotModified, (await Send("GET", $"/{_bucket}/digits", null, [new("If-None-Match", $"\"aaaa\", {etag}")])).Status);
        Assert.Equal(HttpStatusCode.NotModified, (await Send("GET", $"/{_bucket}/digits", null, [new("If-None-Match", "*")])).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send("GET", $"/{_bucket}/digits", null, [new("If-Match", "*")])).Status);
    }

    [Fact]
    public async Task If_Match_true_beats_If_Unmodified_Since_false_and_If_None_Match_false_beats_If_Modified_Since_true()
    {
        var etag = (await _s3.GetObjectMetadataAsync(_bucket, "digits")).ETag;
        var past = DateTime.UtcNow.AddDays(-2).ToString("r", CultureInfo.InvariantCulture);
        var ok = await Send("GET", $"/{_bucket}/digits", null, [new("If-Match", etag), new("If-Unmodified-Since", past)]);
        Assert.Equal((HttpStatusCode.OK, "0123456789"), (ok.Status, ok.Body));
        var notModified = await Send("GET", $"/{_bucket}/digits", null, [new("If-None-Match", etag), new("If-Modified-Since", past)]);
        Assert.Equal(HttpStatusCode.NotModified, notModified.Status);
        var head = await Send("HEAD", $"/{_bucket}/digits", null, [new("If-Match", etag), new("If-Unmodified-Since", past)]);
        Assert.Equal(HttpStatusCode.OK, head.Status);
    }

    [Fact]
    public async Task PartNumber_1_of_a_simple_object_is_the_whole_object_and_2_is_InvalidPartNumber()
    {
        var one = await Send("GET", $"/{_bucket}/digits?partNumber=1");
        Assert.True(one.Status is HttpStatusCode.OK or HttpStatusCode.PartialContent, one.Body);
        Assert.Equal("0123456789", one.Body);
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/digits?partNumber=2"), HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidPartNumber");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await Send("HEAD", $"/{_bucket}/digits?partNumber=2")).Status);
    }

    [Fact]
    public async Task PartNumber_together_with_a_Range_is_InvalidRequest()
    {
        var reply = await Send("GET", $"/{_bucket}/digits?partNumber=1", null, [new("Range", "bytes=0-1")]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidRequest");
    }

    // ---------------------------------------------------------------- CopyObject

    [Fact]
    public async Task Copying_an_object_onto_itself_without_REPLACE_is_InvalidRequest()
    {
        var reply = await Send("PUT", $"/{_bucket}/digits", null, [new("x-amz-copy-source", $"/{_bucket}/digits")]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidRequest");
        var replaced = await Send("PUT", $"/{_bucket}/digits", null, [new("x-amz-copy-source", $"/{_bucket}/digits"), new("x-amz-metadata-directive", "REPLACE"), new("x-amz-meta-fresh", "yes")]);
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        var head = await _s3.GetObjectMetadataAsync(_bucket, "digits");
        Assert.Equal("yes", head.Metadata["fresh"]);
        Assert.Equal("0123456789", (await Send("GET", $"/{_bucket}/digits")).Body);
    }

    [Fact]
    public async Task Copy_source_conditions_that_fail_are_PreconditionFailed_and_copy_nothing()
    {
        var etag = (await _s3.GetObjectMetadataAsync(_bucket, "digits")).ETag;
        var future = DateTime.UtcNow.AddDays(1).ToString("r", CultureInfo.InvariantCulture);
        var past = DateTime.UtcNow.AddDays(-1).ToString("r", CultureInfo.InvariantCulture);
        foreach (var condition in new KeyValuePair<string, string>[]
        {
            new("x-amz-copy-source-if-match", "\"0000\""),
            new("x-amz-copy-source-if-none-match", etag),
            new("x-amz-copy-source-if-unmodified-since", past),
            new("x-amz-copy-source-if-modified-since", future),
        })
        {
            var reply = await Send("PUT", $"/{_bucket}/copy-cond", null, [new("x-amz-copy-source", $"/{_bucket}/digits"), condition]);
            S3Reply.AssertError(reply, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        }

        S3Reply.AssertError(await Send("GET", $"/{_bucket}/copy-cond"), HttpStatusCode.NotFound, "NoSuchKey");
        var allowed = await Send("PUT", $"/{_bucket}/copy-cond", null, [new("x-amz-copy-source", $"/{_bucket}/digits"), new("x-amz-copy-source-if-match", etag), new("x-amz-copy-source-if-unmodified-since", past)]);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Fact]
    public async Task Copying_a_deleted_version_is_NoSuchVersion()
    {
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var first = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "v", ContentBody = "one" });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "v", ContentBody = "two" });
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "v", VersionId = first.VersionId });
        var reply = await Send("PUT", $"/{_bucket}/v-copy", null, [new("x-amz-copy-source", $"/{_bucket}/v?versionId={first.VersionId}")]);
        S3Reply.AssertError(reply, HttpStatusCode.NotFound, "NoSuchVersion");
    }

    [Fact]
    public async Task A_copy_source_range_on_CopyObject_never_makes_a_partial_copy()
    {
        var reply = await Send("PUT", $"/{_bucket}/ranged-copy", null, [new("x-amz-copy-source", $"/{_bucket}/digits"), new("x-amz-copy-source-range", "bytes=0-3")]);
        if (reply.Status == HttpStatusCode.OK)
        {
            Assert.Equal("0123456789", (await Send("GET", $"/{_bucket}/ranged-copy")).Body);
        }
        else
        {
            S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
        }
    }

    [Fact]
    public async Task REPLACE_drops_the_old_metadata_and_content_type_and_COPY_keeps_them()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "meta-src", ContentBody = "m", ContentType = "text/old", Metadata = { ["old"] = "1" } });
        await Send("PUT", $"/{_bucket}/meta-dst", null, [new("x-amz-copy-source", $"/{_bucket}/meta-src"), new("x-amz-metadata-directive", "REPLACE"), new("x-amz-meta-new", "2")], "text/new");
        var replaced = await _s3.GetObjectMetadataAsync(_bucket, "meta-dst");
        Assert.Equal("text/new", replaced.Headers.ContentType);
        Assert.Equal("2", replaced.Metadata["new"]);
        Assert.DoesNotContain("x-amz-meta-old", replaced.Metadata.Keys);
        await Send("PUT", $"/{_bucket}/meta-kept", null, [new("x-amz-copy-source", $"/{_bucket}/meta-src"), new("x-amz-meta-ignored", "3")]);
        var kept = await _s3.GetObjectMetadataAsync(_bucket, "meta-kept");
        Assert.Equal("text/old", kept.Headers.ContentType);
        Assert.Equal("1", kept.Metadata["old"]);
        Assert.DoesNotContain("x-amz-meta-ignored", kept.Metadata.Keys);
    }

    [Fact]
    public async Task Copies_across_accounts_without_permission_are_AccessDenied_both_ways()
    {
        var theirs = S3ClientFactory.NewBucketName();
        await _other.PutBucketAsync(theirs);
        await _other.PutObjectAsync(new PutObjectRequest { BucketName = theirs, Key = "their-secret", ContentBody = "s" });

        // The second account copies the first account's object into its own bucket.
        var pull = await Send("PUT", $"/{theirs}/stolen", null, [new("x-amz-copy-source", $"/{_bucket}/digits")], second: true);
        S3Reply.AssertError(pull, HttpStatusCode.Forbidden, "AccessDenied");
        S3Reply.AssertError(await Send("GET", $"/{theirs}/stolen", second: true), HttpStatusCode.NotFound, "NoSuchKey");

        // The first account copies its object into the second account's bucket, and theirs into its own.
        S3Reply.AssertError(await Send("PUT", $"/{theirs}/pushed", null, [new("x-amz-copy-source", $"/{_bucket}/digits")]), HttpStatusCode.Forbidden, "AccessDenied");
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/pulled", null, [new("x-amz-copy-source", $"/{theirs}/their-secret")]), HttpStatusCode.Forbidden, "AccessDenied");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/pulled"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    // ---------------------------------------------------------------- CORS

    [Fact]
    public async Task A_preflight_without_Access_Control_Request_Method_is_400_and_without_config_403()
    {
        using (var noMethod = new HttpRequestMessage(HttpMethod.Options, new Uri(_server.Endpoint, $"/{_bucket}/digits")))
        {
            noMethod.Headers.Add("Origin", "https://app.example");
            var reply = await Exchange(noMethod);
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            S3Reply.AssertXmlError(reply);
        }

        using var noConfig = Preflight($"/{_bucket}/digits", "https://app.example", "GET");
        var refused = await Exchange(noConfig);
        S3Reply.AssertError(refused, HttpStatusCode.Forbidden, "AccessForbidden");
        Assert.Contains("CORSResponse", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_and_actual_requests_answer_only_the_origins_methods_and_headers_a_rule_allows()
    {
        await _s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = _bucket,
            Configuration = new CORSConfiguration { Rules = [new CORSRule { AllowedMethods = ["GET", "HEAD"], AllowedOrigins = ["https://good.example"], AllowedHeaders = ["x-allowed"] }] },
        });

        using (var allowed = Preflight($"/{_bucket}/digits", "https://good.example", "GET", "X-Allowed"))
        {
            var reply = await Exchange(allowed);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal("https://good.example", reply.Header("Access-Control-Allow-Origin"));
            Assert.Contains("GET", reply.Header("Access-Control-Allow-Methods") ?? "", StringComparison.Ordinal);
        }

        foreach (var (origin, method, headers) in new[] { ("https://good.example", "PUT", ""), ("https://good.example", "GET", "x-forbidden"), ("https://GOOD.example", "GET", ""), ("https://good.example.evil", "GET", "") })
        {
            using var request = Preflight($"/{_bucket}/digits", origin, method, headers);
            S3Reply.AssertError(await Exchange(request), HttpStatusCode.Forbidden, "AccessForbidden");
        }

        var matching = await Send("GET", $"/{_bucket}/digits", null, [new("Origin", "https://good.example")]);
        Assert.Equal("https://good.example", matching.Header("Access-Control-Allow-Origin"));
        var other = await Send("GET", $"/{_bucket}/digits", null, [new("Origin", "https://evil.example")]);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Null(other.Header("Access-Control-Allow-Origin"));
        var put = await Send("PUT", $"/{_bucket}/cors-put", "x"u8.ToArray(), [new("Origin", "https://good.example")]);
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Null(put.Header("Access-Control-Allow-Origin"));
    }

    // ---------------------------------------------------------------- versions

    [Fact]
    public async Task VersionId_null_addresses_the_object_of_an_unversioned_bucket()
    {
        var get = await Send("GET", $"/{_bucket}/digits?versionId=null");
        Assert.Equal((HttpStatusCode.OK, "0123456789"), (get.Status, get.Body));
        Assert.Equal(HttpStatusCode.OK, (await Send("HEAD", $"/{_bucket}/digits?versionId=null")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Send("DELETE", $"/{_bucket}/digits?versionId=null")).Status);
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/digits"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task A_delete_marker_by_version_id_is_MethodNotAllowed_on_GET_and_HEAD_and_deleting_it_restores_the_object()
    {
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "dm", ContentBody = "alive" });
        var marker = await _s3.DeleteObjectAsync(_bucket, "dm");
        Assert.Equal("true", marker.DeleteMarker);

        var get = await Send("GET", $"/{_bucket}/dm?versionId={marker.VersionId}");
        S3Reply.AssertError(get, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        Assert.Equal("true", get.Header("x-amz-delete-marker"));
        var head = await Send("HEAD", $"/{_bucket}/dm?versionId={marker.VersionId}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.Status);
        Assert.Equal("true", head.Header("x-amz-delete-marker"));
        var current = await Send("GET", $"/{_bucket}/dm");
        S3Reply.AssertError(current, HttpStatusCode.NotFound, "NoSuchKey");
        Assert.Equal("true", current.Header("x-amz-delete-marker"));

        var removed = await Send("DELETE", $"/{_bucket}/dm?versionId={marker.VersionId}");
        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
        Assert.Equal("true", removed.Header("x-amz-delete-marker"));
        Assert.Equal(marker.VersionId, removed.Header("x-amz-version-id"));
        Assert.Equal("alive", (await Send("GET", $"/{_bucket}/dm")).Body);
    }

    [Fact]
    public async Task ListObjectVersions_with_a_version_id_marker_but_no_key_marker_is_InvalidArgument()
    {
        S3Reply.AssertError(await Send("GET", $"/{_bucket}?versions&version-id-marker=null"), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task Suspended_versioning_overwrites_the_null_version_and_keeps_the_real_ones()
    {
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var kept = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "s", ContentBody = "versioned" });
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended } });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "s", ContentBody = "null-1" });
        Assert.Equal(HttpStatusCode.OK, (await Send("PUT", $"/{_bucket}/s", "null-2"u8.ToArray())).Status);

        var versions = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket, Prefix = "s" });
        Assert.Equal(["null", kept.VersionId], versions.Versions.Select(v => v.VersionId).ToArray());
        Assert.Equal("null-2", (await Send("GET", $"/{_bucket}/s?versionId=null")).Body);
        Assert.Equal("versioned", (await Send("GET", $"/{_bucket}/s?versionId={kept.VersionId}")).Body);
    }

    // ---------------------------------------------------------------- ACLs and tags

    [Fact]
    public async Task PutObjectAcl_with_both_a_canned_ACL_and_grant_headers_is_InvalidRequest()
    {
        await AllowAcls();
        var reply = await Send("PUT", $"/{_bucket}/digits?acl", [], [new("x-amz-acl", "private"), new("x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AuthenticatedUsers\"")]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidRequest");
    }

    [Fact]
    public async Task Grants_to_an_unknown_email_or_a_malformed_canonical_id_are_refused()
    {
        await AllowAcls();
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/digits?acl", [], [new("x-amz-grant-read", "emailAddress=\"nobody@nowhere.invalid\"")]), HttpStatusCode.BadRequest, "UnresolvableGrantByEmailAddress");
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/digits?acl", [], [new("x-amz-grant-read", "id=\"not-a-canonical-id\"")]), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task Too_many_or_overlong_tags_in_the_x_amz_tagging_header_store_nothing()
    {
        var eleven = string.Join("&", Enumerable.Range(0, 11).Select(i => $"k{i}=v"));
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/tagged", "x"u8.ToArray(), [new("x-amz-tagging", eleven)]), HttpStatusCode.BadRequest, "BadRequest");
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/tagged", "x"u8.ToArray(), [new("x-amz-tagging", new string('k', 129) + "=v")]), HttpStatusCode.BadRequest, "InvalidTag");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/tagged"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task Percent_encoded_specials_in_the_x_amz_tagging_header_are_decoded()
    {
        var put = await Send("PUT", $"/{_bucket}/tagged", "x"u8.ToArray(), [new("x-amz-tagging", "a%20b=c%2Bd%26e%3Df&plus=1+2&empty=")]);
        Assert.Equal(HttpStatusCode.OK, put.Status);
        var tags = (await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "tagged" })).Tagging.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("c+d&e=f", tags["a b"]);
        Assert.Equal("1 2", tags["plus"]);
        Assert.Equal("", tags["empty"]);
    }

    [Fact]
    public async Task A_tagging_body_with_duplicate_keys_is_InvalidTag_and_keeps_the_old_tags()
    {
        await _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = _bucket, Key = "digits", Tagging = new Tagging { TagSet = [new Tag { Key = "keep", Value = "1" }] } });
        var body = "<Tagging><TagSet><Tag><Key>d</Key><Value>1</Value></Tag><Tag><Key>d</Key><Value>1</Value></Tag></TagSet></Tagging>";
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/digits?tagging", XmlBody(body), [new("Content-MD5", Md5Of(body))], "application/xml"), HttpStatusCode.BadRequest, "InvalidTag");
        Assert.Equal("keep", Assert.Single((await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "digits" })).Tagging).Key);
    }

    // ---------------------------------------------------------------- DeleteObjects

    [Fact]
    public async Task DeleteObjects_reports_missing_keys_as_deleted_and_escapes_xml_special_keys()
    {
        const string special = "a&b<c>\"d'e";
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = special, ContentBody = "x" });
        var body = $"<Delete><Object><Key>{SecurityElement(special)}</Key></Object><Object><Key>never-existed</Key></Object></Delete>";
        var reply = await Send("POST", $"/{_bucket}?delete", XmlBody(body), [new("Content-MD5", Md5Of(body))], "application/xml");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var deleted = XDocument.Parse(reply.Body).Root!.Elements(S3Ns + "Deleted").Select(d => d.Element(S3Ns + "Key")!.Value).ToArray();
        Assert.Equal(new[] { special, "never-existed" }.Order(StringComparer.Ordinal), deleted.Order(StringComparer.Ordinal));
        Assert.Empty(XDocument.Parse(reply.Body).Root!.Elements(S3Ns + "Error"));
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/{Uri.EscapeDataString(special)}"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task Quiet_DeleteObjects_lists_only_the_errors()
    {
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "q", ContentBody = "x" });
        var body = "<Delete><Quiet>true</Quiet><Object><Key>q</Key></Object><Object><Key>digits</Key><VersionId>not-a-real-version-id</VersionId></Object></Delete>";
        var reply = await Send("POST", $"/{_bucket}?delete", XmlBody(body), [new("Content-MD5", Md5Of(body))], "application/xml");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var root = XDocument.Parse(reply.Body).Root!;
        Assert.Empty(root.Elements(S3Ns + "Deleted"));
        var error = Assert.Single(root.Elements(S3Ns + "Error"));
        Assert.Equal("digits", error.Element(S3Ns + "Key")?.Value);
        Assert.False(string.IsNullOrEmpty(error.Element(S3Ns + "Code")?.Value));
        Assert.Equal("0123456789", (await Send("GET", $"/{_bucket}/digits")).Body);
    }

    // ---------------------------------------------------------------- helpers

    private static Task<S3Reply> Exchange(HttpRequestMessage request) => S3Reply.ExchangeAsync(Http, request);

    /// <summary>A request signed by the first account (or the second), Content-* headers on the content.</summary>
    private Task<S3Reply> Send(string method, string pathAndQuery, byte[]? body = null, IEnumerable<KeyValuePair<string, string>>? headers = null, string? contentType = null, bool second = false)
    {
        var extra = headers?.ToList() ?? [];
        var request = second
            ? SignedHttp.Build(_server, method, pathAndQuery, "s3", body ?? [], contentType, extra, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey)
            : SignedHttp.Build(_server, method, pathAndQuery, "s3", body ?? [], contentType, extra);
        foreach (var (name, value) in extra.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
        {
            request.Content!.Headers.TryAddWithoutValidation(name, value);
        }

        return ExchangeAndDispose(request);
    }

    private static async Task<S3Reply> ExchangeAndDispose(HttpRequestMessage request)
    {
        using (request)
        {
            return await Exchange(request);
        }
    }

    /// <summary>An unsigned request (anonymous, presigned, or carrying its own Authorization header).</summary>
    private Task<S3Reply> Url(string method, string pathAndQuery, byte[]? body = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_server.Endpoint, pathAndQuery));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return ExchangeAndDispose(request);
    }

    private string Presign(string method, string path, TimeSpan expires, TimeProvider? clock = null, string service = "s3")
    {
        var signature = new SigV4Signer(clock ?? TimeProvider.System).Presign(
            new SignedRequest { Method = method, RawPath = path, RawQuery = "", Headers = [new("Host", _server.Endpoint.Authority)], PayloadHash = "UNSIGNED-PAYLOAD" },
            new SigV4SigningOptions { AccessKeyId = "test", SecretAccessKey = "test", Region = "us-east-1", Service = service, Rules = SigV4Rules.S3 },
            expires);
        return path + "?" + signature.Request.RawQuery;
    }

    private HttpRequestMessage Preflight(string path, string origin, string method, string headers = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(_server.Endpoint, path));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers.Length > 0)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return request;
    }

    private async Task AllowAcls()
    {
        await _s3.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
        {
            BucketName = _bucket,
            OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.BucketOwnerPreferred }] },
        });
    }

#pragma warning disable CA5350 // SigV2 is HMAC-SHA1 by definition.
    private static string SigV2(string stringToSign, string secret) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));
#pragma warning restore CA5350

    private static byte[] XmlBody(string xml) => Encoding.UTF8.GetBytes(xml);

    private static string Md5Of(string text) => Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static string SecurityElement(string text) => System.Security.SecurityElement.Escape(text);
}
