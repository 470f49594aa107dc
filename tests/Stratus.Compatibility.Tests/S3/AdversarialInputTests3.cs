using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;
using Stratus.Compatibility.Tests.Iam;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>
/// A third round of adversarial S3 requests, against browser-form uploads (POST Object), the archive storage classes
/// with RestoreObject, and Object Lock. Each must be answered as Amazon S3 answers it, and every refusal must be S3's
/// XML error, never a 500.
/// </summary>
public sealed class AdversarialInputTests3 : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string Boundary = "----stratus-adversarial-form-7f3a";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // A 303 to a form's redirect must be seen, not followed.
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();
    private readonly string _locked = S3ClientFactory.NewBucketName();

    public AdversarialInputTests3(ServerFixture server)
    {
        _server = server;
        _s3 = S3ClientFactory.Create(server);
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _locked, ObjectLockEnabledForBucket = true });
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    // ================================================================ PostObject: the form's shape

    // S3 reads the fields before the file and ignores the rest, so a form whose file comes first has no key.
    [Fact]
    public async Task A_form_whose_file_comes_before_the_key_is_InvalidArgument_for_the_missing_key()
    {
        var form = SignedForm(_bucket, "first", DateTimeOffset.UtcNow);
        var reply = await Post([Part.File("x"u8.ToArray()), .. form]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
        Assert.Contains("key", reply.Message, StringComparison.Ordinal);
        await AssertAbsent(_bucket, "first");
    }

    // The policy and signature after the file are ignored too: the form is anonymous, and the bucket is private.
    [Fact]
    public async Task Signature_fields_after_the_file_do_not_count_and_the_form_is_anonymous()
    {
        var form = SignedForm(_bucket, "late-signature", DateTimeOffset.UtcNow);
        var key = form.Single(p => p.Name == "key");
        var reply = await Post([key, Part.File("x"u8.ToArray()), .. form.Where(p => p.Name != "key")]);
        S3Reply.AssertError(reply, HttpStatusCode.Forbidden, "AccessDenied");
        await AssertAbsent(_bucket, "late-signature");
    }

    // Whatever S3 does with a field sent twice (refuse, or take one), it never stores a key the policy did not allow.
    [Fact]
    public async Task A_key_field_sent_twice_never_stores_a_key_the_policy_forbids()
    {
        var form = SignedForm(_bucket, "allowed", DateTimeOffset.UtcNow, keyCondition: """{"key": "allowed"}""");
        var reply = await Post([.. form, Part.Field("key", "evil"), Part.File("x"u8.ToArray())]);
        if ((int)reply.Status >= 400)
        {
            S3Reply.AssertXmlError(reply);
        }

        await AssertAbsent(_bucket, "evil");
    }

    [Fact]
    public async Task A_form_key_of_1024_bytes_is_stored_and_of_1025_bytes_is_KeyTooLongError()
    {
        var fits = new string('é', 512); // 1024 bytes of UTF-8
        var ok = await Post([.. SignedForm(_bucket, fits, DateTimeOffset.UtcNow), Part.File("x"u8.ToArray())]);
        Assert.Equal(HttpStatusCode.NoContent, ok.Status);
        Assert.Equal(1, (await _s3.GetObjectMetadataAsync(_bucket, fits)).ContentLength);

        var reply = await Post([.. SignedForm(_bucket, fits + "a", DateTimeOffset.UtcNow), Part.File("x"u8.ToArray())]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "KeyTooLongError");
    }

    [Fact]
    public async Task An_empty_file_is_an_empty_object_unless_the_policy_sets_a_minimum()
    {
        var ok = await Post([.. SignedForm(_bucket, "empty", DateTimeOffset.UtcNow), Part.File([])]);
        Assert.Equal(HttpStatusCode.NoContent, ok.Status);
        Assert.Equal("\"d41d8cd98f00b204e9800998ecf8427e\"", ok.Header("ETag"));
        Assert.Equal(0, (await _s3.GetObjectMetadataAsync(_bucket, "empty")).ContentLength);

        var small = await Post([.. SignedForm(_bucket, "empty-ranged", DateTimeOffset.UtcNow, """["content-length-range", 1, 10]"""), Part.File([])]);
        S3Reply.AssertError(small, HttpStatusCode.BadRequest, "EntityTooSmall");
        await AssertAbsent(_bucket, "empty-ranged");
    }

    // ${filename} is replaced by the file part's name as sent, path characters and all: S3 keys may hold "../".
    [Fact]
    public async Task The_file_name_fills_in_the_key_verbatim_with_unicode_and_path_characters()
    {
        var reply = await Post([.. SignedForm(_bucket, "uploads/${filename}", DateTimeOffset.UtcNow, keyCondition: """["starts-with", "$key", "uploads/"]"""), Part.File("p"u8.ToArray(), "../../etc/pässwörd 日本.txt")]);
        Assert.Equal(HttpStatusCode.NoContent, reply.Status);
        var keys = (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket })).S3Objects.Select(o => o.Key).ToArray();
        Assert.Equal(["uploads/../../etc/pässwörd 日本.txt"], keys);
    }

    [Fact]
    public async Task Thousands_of_tiny_fields_before_the_file_are_MaxPostPreDataLengthExceededError()
    {
        var padding = Enumerable.Range(0, 2500).Select(i => Part.Field($"x-ignore-{i:D5}", ""));
        var reply = await Post([.. SignedForm(_bucket, "padded", DateTimeOffset.UtcNow), .. padding, Part.File("x"u8.ToArray())]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MaxPostPreDataLengthExceededError");
        await AssertAbsent(_bucket, "padded");
    }

    // A body whose file part never reaches its closing boundary is not multipart/form-data; S3 stores nothing.
    [Fact]
    public async Task A_body_cut_off_inside_the_file_is_MalformedPOSTRequest_and_stores_nothing()
    {
        var reply = await Post([.. SignedForm(_bucket, "cut", DateTimeOffset.UtcNow), Part.File(Encoding.UTF8.GetBytes(new string('z', 5000)))], close: false);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MalformedPOSTRequest");
        await AssertAbsent(_bucket, "cut");
    }

    // ================================================================ PostObject: the policy

    public static TheoryData<string> MalformedPolicies => new()
    {
        """{"conditions": []}""", // no expiration
        """{"expiration": "2099-01-01T00:00:00.000Z"}""", // no conditions
        """{"expiration": "next tuesday", "conditions": []}""",
        """{"expiration": "2099-01-01T00:00:00.000Z", "conditions": {"key": "a"}}""",
        """{expiration: 2099, conditions: [}""",
        """{"expiration": "2099-01-01T00:00:00.000Z", "conditions": [["eq", "$key"]]}""",
        """{"expiration": "2099-01-01T00:00:00.000Z", "conditions": [["starts-with", "$key", "a", "b"]]}""",
        """{"expiration": "2099-01-01T00:00:00.000Z", "conditions": [["ne", "$key", "a"]]}""",
        """{"expiration": "2099-01-01T00:00:00.000Z", "conditions": [{"key": 5}]}""",
        """{"expiration": "2099-01-01T00:00:00.000Z", "conditions": [["content-length-range", 1]]}""",
        """{"expiration": "2099-01-01T00:00:00.000Z", "conditions": [["content-length-range", "one", "ten"]]}""",
    };

    // S3: 400 InvalidPolicyDocument "Invalid Policy: ..." for a policy it cannot read, even when correctly signed.
    [Theory]
    [MemberData(nameof(MalformedPolicies))]
    public async Task A_signed_but_malformed_policy_is_InvalidPolicyDocument(string policy)
    {
        var reply = await Post([.. SignedForm(_bucket, "a", DateTimeOffset.UtcNow, rawPolicy: policy), Part.File("x"u8.ToArray())]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidPolicyDocument");
        await AssertAbsent(_bucket, "a");
    }

    // Whether S3 refuses the range itself or then the file's size against it, a min above the max stores nothing.
    [Fact]
    public async Task A_content_length_range_whose_min_exceeds_its_max_stores_nothing()
    {
        var reply = await Post([.. SignedForm(_bucket, "inverted", DateTimeOffset.UtcNow, """["content-length-range", 10, 1]"""), Part.File("12345"u8.ToArray())]);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains(reply.Code, new[] { "InvalidPolicyDocument", "EntityTooSmall", "EntityTooLarge" });
        S3Reply.AssertXmlError(reply);
        await AssertAbsent(_bucket, "inverted");
    }

    [Fact]
    public async Task A_file_one_byte_over_the_range_is_EntityTooLarge_and_one_at_the_maximum_is_stored()
    {
        var over = await Post([.. SignedForm(_bucket, "ranged", DateTimeOffset.UtcNow, """["content-length-range", 0, 10]"""), Part.File(new byte[11])]);
        S3Reply.AssertError(over, HttpStatusCode.BadRequest, "EntityTooLarge");
        await AssertAbsent(_bucket, "ranged");

        var exact = await Post([.. SignedForm(_bucket, "ranged", DateTimeOffset.UtcNow, """["content-length-range", 0, 10]"""), Part.File(new byte[10])]);
        Assert.Equal(HttpStatusCode.NoContent, exact.Status);
    }

    [Fact]
    public async Task A_form_whose_policy_names_another_bucket_is_AccessDenied()
    {
        var form = SignedForm("some-other-bucket", "elsewhere", DateTimeOffset.UtcNow);
        var reply = await Post([.. form, Part.File("x"u8.ToArray())]);
        S3Reply.AssertError(reply, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Contains("Policy Condition failed", reply.Message, StringComparison.Ordinal);
        await AssertAbsent(_bucket, "elsewhere");
    }

    // The policy's expiration is read on the server's clock: the same form works before it and is refused after.
    [Fact]
    public async Task A_policy_works_until_its_expiration_on_the_server_clock_and_is_AccessDenied_after()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        using (var s3 = S3ClientFactory.Create(server))
        {
            await s3.PutBucketAsync("forms");
        }

        var form = SignedForm("forms", "timed", clock.GetUtcNow(), expiration: clock.GetUtcNow().AddMinutes(10));
        Assert.Equal(HttpStatusCode.NoContent, (await Post([.. form, Part.File("1"u8.ToArray())], "forms", server)).Status);

        clock.Advance(TimeSpan.FromMinutes(11));
        var late = await Post([.. form, Part.File("2"u8.ToArray())], "forms", server);
        S3Reply.AssertError(late, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Contains("expired", late.Message, StringComparison.OrdinalIgnoreCase);
    }

    // ================================================================ PostObject: the signature

    // S3 answers a form credential scoped to another region than the bucket's with 400 InvalidArgument "the region
    // 'eu-west-1' is wrong; expecting 'us-east-1'" (ArgumentName X-Amz-Credential), as seen from S3 in
    // github.com/CulturalMe/meteor-slingshot/issues/150.
    [Fact]
    public async Task A_form_credential_scoped_to_another_region_is_InvalidArgument()
    {
        var reply = await Post([.. SignedForm(_bucket, "regional", DateTimeOffset.UtcNow, region: "eu-west-1"), Part.File("x"u8.ToArray())]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
        await AssertAbsent(_bucket, "regional");
    }

    // As for the region: a credential scope that is not s3's is a bad x-amz-credential argument.
    [Fact]
    public async Task A_form_credential_scoped_to_another_service_is_InvalidArgument()
    {
        var reply = await Post([.. SignedForm(_bucket, "iam-scoped", DateTimeOffset.UtcNow, service: "iam"), Part.File("x"u8.ToArray())]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
        await AssertAbsent(_bucket, "iam-scoped");
    }

    // A session token with a long-term key: S3 answers 400 InvalidToken "The provided token is malformed or otherwise invalid."
    [Fact]
    public async Task A_session_token_field_with_a_long_term_key_is_InvalidToken()
    {
        var form = SignedForm(_bucket, "tokened", DateTimeOffset.UtcNow, """{"x-amz-security-token": "FQoGZXIvYXdzEBogus"}""");
        var reply = await Post([.. form, Part.Field("x-amz-security-token", "FQoGZXIvYXdzEBogus"), Part.File("x"u8.ToArray())]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidToken");
        await AssertAbsent(_bucket, "tokened");
    }

    // Signature Version 2 forms (AWSAccessKeyId, signature) still work; the signature covers the policy's exact text.
    [Fact]
    public async Task A_SigV2_form_works_and_the_same_signature_over_another_policy_is_SignatureDoesNotMatch()
    {
        string Policy(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $$"""{"expiration": "{{Iso(DateTimeOffset.UtcNow.AddMinutes(10))}}", "conditions": [{"bucket": "{{_bucket}}"}, {"key": "{{key}}"}]}"""));
        var policy = Policy("v2-form");
        var signature = SigV2(policy, "test");

        var ok = await Post([Part.Field("key", "v2-form"), Part.Field("AWSAccessKeyId", "test"), Part.Field("policy", policy), Part.Field("signature", signature), Part.File("x"u8.ToArray())]);
        Assert.Equal(HttpStatusCode.NoContent, ok.Status);

        var forged = await Post([Part.Field("key", "v2-other"), Part.Field("AWSAccessKeyId", "test"), Part.Field("policy", Policy("v2-other")), Part.Field("signature", signature), Part.File("x"u8.ToArray())]);
        S3Reply.AssertError(forged, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
        await AssertAbsent(_bucket, "v2-other");
    }

    // ================================================================ PostObject: the answer

    // S3: "If the value is not set or if it is set to an invalid value, Amazon S3 returns an empty document with a 204
    // status code" (POST Object, success_action_status).
    [Theory]
    [InlineData("404")]
    [InlineData("302")]
    [InlineData("2010")]
    [InlineData("ok")]
    public async Task An_invalid_success_action_status_answers_204(string status)
    {
        var reply = await Post([.. SignedForm(_bucket, "status", DateTimeOffset.UtcNow, $$"""{"success_action_status": "{{status}}"}"""), Part.Field("success_action_status", status), Part.File("x"u8.ToArray())]);
        Assert.Equal(HttpStatusCode.NoContent, reply.Status);
        Assert.Equal("", reply.Body);
        Assert.NotNull(reply.Header("ETag"));
    }

    // S3: "If Amazon S3 cannot interpret the URL, it acts as if the field is not present" (success_action_redirect),
    // so success_action_status decides the answer.
    [Fact]
    public async Task A_redirect_that_is_not_a_url_is_ignored_for_success_action_status()
    {
        var reply = await Post([
            .. SignedForm(_bucket, "redirected", DateTimeOffset.UtcNow, """{"success_action_redirect": "not a url"}""", """{"success_action_status": "201"}"""),
            Part.Field("success_action_redirect", "not a url"), Part.Field("success_action_status", "201"), Part.File("x"u8.ToArray())]);
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal("PostResponse", XDocument.Parse(reply.Body).Root!.Name.LocalName);
    }

    // A form may name an archive class (x-amz-storage-class), and the object is then as unreadable as a PUT one.
    [Fact]
    public async Task A_form_upload_to_GLACIER_is_InvalidObjectState_to_read()
    {
        var reply = await Post([.. SignedForm(_bucket, "form-cold", DateTimeOffset.UtcNow, """{"x-amz-storage-class": "GLACIER"}"""), Part.Field("x-amz-storage-class", "GLACIER"), Part.File("cold"u8.ToArray())]);
        Assert.Equal(HttpStatusCode.NoContent, reply.Status);
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/form-cold"), HttpStatusCode.Forbidden, "InvalidObjectState");
        Assert.Equal(S3StorageClass.Glacier, (await _s3.GetObjectMetadataAsync(_bucket, "form-cold")).StorageClass);
    }

    // ================================================================ RestoreObject: the request

    // Days is an xs:int in S3's schema and Tier one of three words: anything else does not validate.
    [Theory]
    [InlineData("<Days>abc</Days>")]
    [InlineData("<Days>1.5</Days>")]
    [InlineData("<Days>99999999999</Days>")]
    [InlineData("<Days></Days>")]
    [InlineData("<Days>1</Days><Days>2</Days>")]
    [InlineData("<Days>1</Days><GlacierJobParameters><Tier>Instant</Tier></GlacierJobParameters>")]
    public async Task A_RestoreRequest_that_does_not_validate_is_MalformedXML(string inner)
    {
        await PutArchived(_bucket, "cold");
        S3Reply.AssertError(await Restore(_bucket, "cold", inner), HttpStatusCode.BadRequest, "MalformedXML");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/cold"), HttpStatusCode.Forbidden, "InvalidObjectState");
    }

    // S3 refuses a restore of no days (MalformedXML per moto's and Scality's tests against AWS; InvalidArgument is
    // the other answer seen): either way a 400 that restores nothing.
    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task A_restore_of_zero_or_negative_days_is_refused_and_restores_nothing(string days)
    {
        await PutArchived(_bucket, "cold");
        var reply = await Restore(_bucket, "cold", $"<Days>{days}</Days>");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains(reply.Code, new[] { "MalformedXML", "InvalidArgument" });
        S3Reply.AssertXmlError(reply);
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/cold"), HttpStatusCode.Forbidden, "InvalidObjectState");
    }

    // The largest xs:int is a valid Days (Scality's restore parser, made to match S3, accepts up to 2^31 - 1): the
    // restore is accepted or refused as a client error, and never fails the server on a date past year 9999.
    [Fact]
    public async Task A_restore_for_int_MaxValue_days_is_never_a_server_error()
    {
        await PutArchived(_bucket, "forever");
        var reply = await Restore(_bucket, "forever", "<Days>2147483647</Days>");
        if (reply.Status != HttpStatusCode.Accepted)
        {
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            S3Reply.AssertXmlError(reply);
        }

        var head = await Send("HEAD", $"/{_bucket}/forever");
        Assert.Equal(HttpStatusCode.OK, head.Status);
    }

    // ================================================================ RestoreObject: the target

    [Fact]
    public async Task A_restore_of_a_key_behind_a_delete_marker_is_NoSuchKey()
    {
        await EnableVersioning(_bucket);
        await PutArchived(_bucket, "buried");
        await _s3.DeleteObjectAsync(_bucket, "buried");
        S3Reply.AssertError(await Restore(_bucket, "buried", "<Days>1</Days>"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task A_restore_of_one_archived_version_makes_only_that_version_readable()
    {
        await EnableVersioning(_bucket);
        var old = await PutArchived(_bucket, "multi", "old");
        await PutArchived(_bucket, "multi", "new");

        var reply = await Restore(_bucket, $"multi?versionId={Uri.EscapeDataString(old.VersionId)}", "<Days>1</Days>", isPath: true);
        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        Assert.Equal(old.VersionId, reply.Header("x-amz-version-id"));

        var restored = await Send("GET", $"/{_bucket}/multi?versionId={Uri.EscapeDataString(old.VersionId)}");
        Assert.Equal((HttpStatusCode.OK, "old"), (restored.Status, restored.Body));
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/multi"), HttpStatusCode.Forbidden, "InvalidObjectState");
    }

    // "Restore is not allowed for the object's current storage class": a STANDARD version, or GLACIER_IR (readable
    // at once), is 403 InvalidObjectState even when a newer version of the key is archived.
    [Fact]
    public async Task A_restore_of_a_version_that_is_not_archived_is_InvalidObjectState()
    {
        await EnableVersioning(_bucket);
        var standard = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "mixed", ContentBody = "hot" });
        await PutArchived(_bucket, "mixed");
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "instant", ContentBody = "ir", StorageClass = S3StorageClass.GlacierInstantRetrieval });

        S3Reply.AssertError(await Restore(_bucket, $"mixed?versionId={Uri.EscapeDataString(standard.VersionId)}", "<Days>1</Days>", isPath: true), HttpStatusCode.Forbidden, "InvalidObjectState");
        S3Reply.AssertError(await Restore(_bucket, "instant", "<Days>1</Days>"), HttpStatusCode.Forbidden, "InvalidObjectState");
    }

    [Fact]
    public async Task Ranges_and_part_numbers_of_an_archived_object_are_InvalidObjectState_but_HEAD_answers()
    {
        await PutArchived(_bucket, "cold");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/cold", headers: [new("Range", "bytes=0-3")]), HttpStatusCode.Forbidden, "InvalidObjectState");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/cold?partNumber=1"), HttpStatusCode.Forbidden, "InvalidObjectState");

        var head = await Send("HEAD", $"/{_bucket}/cold");
        Assert.Equal(HttpStatusCode.OK, head.Status);
        Assert.Equal("GLACIER", head.Header("x-amz-storage-class"));
        Assert.Null(head.Header("x-amz-restore"));
    }

    [Fact]
    public async Task UploadPartCopy_from_an_archived_source_is_InvalidObjectState()
    {
        await PutArchived(_bucket, "cold");
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "assembled");
        var path = $"/{_bucket}/assembled?partNumber=1&uploadId={Uri.EscapeDataString(upload.UploadId)}";
        S3Reply.AssertError(await Send("PUT", path, headers: [new("x-amz-copy-source", $"/{_bucket}/cold")]), HttpStatusCode.Forbidden, "InvalidObjectState");
        S3Reply.AssertError(await Send("PUT", path, headers: [new("x-amz-copy-source", $"/{_bucket}/cold"), new("x-amz-copy-source-range", "bytes=0-1")]), HttpStatusCode.Forbidden, "InvalidObjectState");
    }

    // Changing an archived object's class by copying it onto itself reads its bytes: S3 requires a restore first.
    [Fact]
    public async Task Copying_an_archived_object_onto_itself_to_change_its_class_is_InvalidObjectState()
    {
        await PutArchived(_bucket, "cold");
        var reply = await Send("PUT", $"/{_bucket}/cold", headers: [new("x-amz-copy-source", $"/{_bucket}/cold"), new("x-amz-storage-class", "STANDARD")]);
        S3Reply.AssertError(reply, HttpStatusCode.Forbidden, "InvalidObjectState");
        Assert.Equal(S3StorageClass.Glacier, (await _s3.GetObjectMetadataAsync(_bucket, "cold")).StorageClass);
    }

    // Twice in a row: 202, then 200 while the copy is readable; once it has expired (server clock) the object is
    // archived again and a new restore is 202 again.
    [Fact]
    public async Task Restoring_twice_answers_202_then_200_and_after_the_copy_expires_202_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        using (var s3 = S3ClientFactory.Create(server))
        {
            await s3.PutBucketAsync("archive");
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "archive", Key = "cold", ContentBody = "archived", StorageClass = S3StorageClass.DeepArchive });
        }

        Assert.Equal(HttpStatusCode.Accepted, (await Restore("archive", "cold", "<Days>1</Days>", server: server, clock: clock)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Restore("archive", "cold", "<Days>1</Days>", server: server, clock: clock)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send("GET", "/archive/cold", server: server, clock: clock)).Status);

        clock.Advance(TimeSpan.FromDays(3));
        S3Reply.AssertError(await Send("GET", "/archive/cold", server: server, clock: clock), HttpStatusCode.Forbidden, "InvalidObjectState");
        Assert.Equal(HttpStatusCode.Accepted, (await Restore("archive", "cold", "<Days>1</Days>", server: server, clock: clock)).Status);
    }

    // ================================================================ Object Lock: request headers

    // S3 (seen by versitygw, issues 1733 and 1734): InvalidArgument "The retain until date must be in the future!" and
    // "The retain until date must be provided in ISO 8601 format"; 01/02/2099 is no ISO 8601 date.
    [Theory]
    [InlineData("2001-01-01T00:00:00Z")]
    [InlineData("abc")]
    [InlineData("01/02/2099")]
    public async Task A_retain_until_date_header_in_the_past_or_not_ISO_8601_is_InvalidArgument(string date)
    {
        var reply = await Send("PUT", $"/{_locked}/dated", "x"u8.ToArray(), [new("x-amz-object-lock-mode", "GOVERNANCE"), new("x-amz-object-lock-retain-until-date", date)]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
        await AssertAbsent(_locked, "dated");
    }

    // S3 (versitygw issues 1141, 1142): "Unknown wormMode directive." and "Legal Hold must be either of 'ON' or 'OFF'";
    // the values are case-sensitive.
    [Theory]
    [InlineData("x-amz-object-lock-mode", "governance")]
    [InlineData("x-amz-object-lock-mode", "LOCKED")]
    [InlineData("x-amz-object-lock-legal-hold", "on")]
    [InlineData("x-amz-object-lock-legal-hold", "TRUE")]
    public async Task An_unknown_lock_mode_or_legal_hold_header_is_InvalidArgument(string header, string value)
    {
        var headers = new List<KeyValuePair<string, string>> { new(header, value) };
        if (header == "x-amz-object-lock-mode")
        {
            headers.Add(new("x-amz-object-lock-retain-until-date", Iso(DateTimeOffset.UtcNow.AddDays(1))));
        }

        S3Reply.AssertError(await Send("PUT", $"/{_locked}/moded", "x"u8.ToArray(), headers), HttpStatusCode.BadRequest, "InvalidArgument");
        await AssertAbsent(_locked, "moded");
    }

    [Fact]
    public async Task Lock_headers_on_CopyObject_and_CreateMultipartUpload_in_a_bucket_without_Object_Lock_are_InvalidRequest()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "source", ContentBody = "x" });
        KeyValuePair<string, string>[] lockHeaders = [new("x-amz-object-lock-mode", "COMPLIANCE"), new("x-amz-object-lock-retain-until-date", Iso(DateTimeOffset.UtcNow.AddDays(1)))];

        var copy = await Send("PUT", $"/{_bucket}/copy", headers: [new("x-amz-copy-source", $"/{_bucket}/source"), .. lockHeaders]);
        S3Reply.AssertError(copy, HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Contains("Object Lock Configuration", copy.Message, StringComparison.Ordinal);
        await AssertAbsent(_bucket, "copy");

        var upload = await Send("POST", $"/{_bucket}/upload?uploads", headers: [new("x-amz-object-lock-legal-hold", "ON")]);
        S3Reply.AssertError(upload, HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Empty((await _s3.ListMultipartUploadsAsync(_bucket)).MultipartUploads ?? []);
    }

    // S3 does not carry a source's retention or legal hold over to a copy (and this bucket has no default retention).
    [Fact]
    public async Task A_copy_of_a_locked_version_is_not_locked()
    {
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _locked,
            Key = "original",
            ContentBody = "x",
            ObjectLockMode = ObjectLockMode.Compliance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(1),
            ObjectLockLegalHoldStatus = ObjectLockLegalHoldStatus.On,
        });
        var copy = await _s3.CopyObjectAsync(_locked, "original", _locked, "copy");

        var head = await Send("HEAD", $"/{_locked}/copy");
        Assert.Null(head.Header("x-amz-object-lock-mode"));
        Assert.Null(head.Header("x-amz-object-lock-legal-hold"));
        Assert.Equal(HttpStatusCode.NoContent, (await Send("DELETE", $"/{_locked}/copy?versionId={Uri.EscapeDataString(copy.VersionId)}")).Status);
    }

    // ================================================================ Object Lock: configuration

    // S3 (versitygw issues 556, 558, 1738): Days and Years together, a missing or unknown Mode, and ObjectLockEnabled other
    // than Enabled are MalformedXML; a zero period is InvalidArgument "Default retention period must be a positive integer value."
    [Theory]
    [InlineData("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years></DefaultRetention></Rule>", "MalformedXML")]
    [InlineData("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Days>1</Days></DefaultRetention></Rule>", "MalformedXML")]
    [InlineData("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>governance</Mode><Days>1</Days></DefaultRetention></Rule>", "MalformedXML")]
    [InlineData("<ObjectLockEnabled>Disabled</ObjectLockEnabled>", "MalformedXML")]
    [InlineData("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>0</Days></DefaultRetention></Rule>", "InvalidArgument")]
    [InlineData("<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>0</Years></DefaultRetention></Rule>", "InvalidArgument")]
    public async Task A_bad_Object_Lock_configuration_is_refused_and_changes_nothing(string inner, string code)
    {
        var xml = $"<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{inner}</ObjectLockConfiguration>";
        S3Reply.AssertError(await SendXml("PUT", $"/{_locked}?object-lock", xml), HttpStatusCode.BadRequest, code);
        var configuration = await _s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = _locked });
        Assert.Null(configuration.ObjectLockConfiguration.Rule);
    }

    [Fact]
    public async Task Object_Lock_needs_versioning_Enabled_and_then_keeps_it_Enabled()
    {
        await EnableVersioning(_bucket);
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = _bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended } });
        const string Enable = "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>";
        S3Reply.AssertError(await SendXml("PUT", $"/{_bucket}?object-lock", Enable), HttpStatusCode.Conflict, "InvalidBucketState");

        const string Suspend = "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Suspended</Status></VersioningConfiguration>";
        S3Reply.AssertError(await SendXml("PUT", $"/{_locked}?versioning", Suspend), HttpStatusCode.Conflict, "InvalidBucketState");
        var enabled = await SendXml("PUT", $"/{_locked}?versioning", Suspend.Replace("Suspended", "Enabled", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, enabled.Status);
        Assert.Equal(VersionStatus.Enabled, (await _s3.GetBucketVersioningAsync(_locked)).VersioningConfig.Status);
    }

    // S3 (adobe/S3Mock's S3-verified tests): 400 InvalidRequest "Bucket is missing Object Lock Configuration".
    [Theory]
    [InlineData("GET", "retention", null)]
    [InlineData("GET", "legal-hold", null)]
    [InlineData("PUT", "retention", "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>GOVERNANCE</Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate></Retention>")]
    [InlineData("PUT", "legal-hold", "<LegalHold xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>ON</Status></LegalHold>")]
    public async Task Retention_and_legal_hold_in_a_bucket_without_Object_Lock_are_InvalidRequest(string method, string subresource, string? xml)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "plain", ContentBody = "x" });
        var reply = xml is null ? await Send(method, $"/{_bucket}/plain?{subresource}") : await SendXml(method, $"/{_bucket}/plain?{subresource}", xml);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Contains("Object Lock Configuration", reply.Message, StringComparison.Ordinal);
    }

    // ================================================================ Object Lock: retention and legal hold bodies

    // Bodies are checked against S3's schema: an unknown Mode, a RetainUntilDate that is no xs:dateTime (versitygw issue
    // 559; floci-io/floci pull 1631, "Real S3 returns 400 MalformedXML") and a Status other than ON or OFF (versitygw
    // issue 560) are MalformedXML.
    [Theory]
    [InlineData("retention", "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>LOCKED</Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate></Retention>")]
    [InlineData("retention", "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>GOVERNANCE</Mode><RetainUntilDate>notadate</RetainUntilDate></Retention>")]
    [InlineData("retention", "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>GOVERNANCE</Mode><RetainUntilDate>01/02/2099</RetainUntilDate></Retention>")]
    [InlineData("legal-hold", "<LegalHold xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>on</Status></LegalHold>")]
    [InlineData("legal-hold", "<LegalHold xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>true</Status></LegalHold>")]
    public async Task A_retention_or_legal_hold_body_that_does_not_validate_is_MalformedXML(string subresource, string xml)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _locked, Key = "target", ContentBody = "x" });
        S3Reply.AssertError(await SendXml("PUT", $"/{_locked}/target?{subresource}", xml), HttpStatusCode.BadRequest, "MalformedXML");
        var head = await Send("HEAD", $"/{_locked}/target");
        Assert.Null(head.Header("x-amz-object-lock-mode"));
        Assert.Null(head.Header("x-amz-object-lock-legal-hold"));
    }

    [Fact]
    public async Task A_retention_date_in_the_past_through_PutObjectRetention_is_InvalidArgument()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _locked, Key = "target", ContentBody = "x" });
        var xml = "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>GOVERNANCE</Mode><RetainUntilDate>2001-01-01T00:00:00Z</RetainUntilDate></Retention>";
        S3Reply.AssertError(await SendXml("PUT", $"/{_locked}/target?retention", xml), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    // Removing a GOVERNANCE retention (an empty Retention) needs the bypass header, which the account's root may use.
    [Fact]
    public async Task Removing_a_governance_retention_without_the_bypass_is_AccessDenied_and_with_it_succeeds()
    {
        var put = await PutLocked("governed", ObjectLockMode.Governance);
        const string Empty = "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>";
        var path = $"/{_locked}/governed?retention&versionId={Uri.EscapeDataString(put.VersionId)}";

        S3Reply.AssertError(await SendXml("PUT", path, Empty), HttpStatusCode.Forbidden, "AccessDenied");
        S3Reply.AssertError(await SendXml("PUT", path, Empty, [new("x-amz-bypass-governance-retention", "false")]), HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Equal("GOVERNANCE", (await Send("HEAD", $"/{_locked}/governed")).Header("x-amz-object-lock-mode"));

        Assert.Equal(HttpStatusCode.OK, (await SendXml("PUT", path, Empty, [new("x-amz-bypass-governance-retention", "true")])).Status);
        Assert.Null((await Send("HEAD", $"/{_locked}/governed")).Header("x-amz-object-lock-mode"));
        Assert.Equal(HttpStatusCode.NoContent, (await Send("DELETE", $"/{_locked}/governed?versionId={Uri.EscapeDataString(put.VersionId)}")).Status);
    }

    // The bypass header counts only for a caller allowed s3:BypassGovernanceRetention.
    [Fact]
    public async Task An_IAM_user_without_s3_BypassGovernanceRetention_can_neither_shorten_nor_delete_a_governed_version()
    {
        var put = await PutLocked("governed", ObjectLockMode.Governance);
        var (_, accessKey, secret) = await IamUsers.CreateAsync(_server, """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*",
              "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObjectRetention", "s3:GetObjectRetention", "s3:DeleteObject", "s3:DeleteObjectVersion"]}]}
            """, "lock");
        var version = Uri.EscapeDataString(put.VersionId);
        KeyValuePair<string, string>[] bypass = [new("x-amz-bypass-governance-retention", "true")];
        var shorter = $"<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>GOVERNANCE</Mode><RetainUntilDate>{Iso(DateTimeOffset.UtcNow.AddHours(1))}</RetainUntilDate></Retention>";

        S3Reply.AssertError(await SendXml("PUT", $"/{_locked}/governed?retention&versionId={version}", shorter, bypass, accessKey, secret), HttpStatusCode.Forbidden, "AccessDenied");
        S3Reply.AssertError(await Send("DELETE", $"/{_locked}/governed?versionId={version}", headers: bypass, accessKey: accessKey, secret: secret), HttpStatusCode.Forbidden, "AccessDenied");
        var batch = $"<Delete><Object><Key>governed</Key><VersionId>{put.VersionId}</VersionId></Object></Delete>";
        var reply = await SendXml("POST", $"/{_locked}?delete", batch, bypass, accessKey, secret);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("AccessDenied", Assert.Single(Elements(reply, "Error")).Elements().Single(e => e.Name.LocalName == "Code").Value);

        var retention = await _s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = _locked, Key = "governed", VersionId = put.VersionId });
        Assert.True(retention.Retention.RetainUntilDate > DateTime.UtcNow.AddHours(23), $"retention was shortened to {retention.Retention.RetainUntilDate:o}");
    }

    // DeleteObjects deletes what it may and lists an AccessDenied Error for each protected version; a legal hold is
    // no retention, so the bypass does not lift it.
    [Fact]
    public async Task DeleteObjects_with_locked_and_unlocked_versions_deletes_only_the_unlocked_ones()
    {
        var free = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _locked, Key = "free", ContentBody = "x" });
        var governed = await PutLocked("governed", ObjectLockMode.Governance);
        var compliant = await PutLocked("compliant", ObjectLockMode.Compliance);
        var held = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _locked, Key = "held", ContentBody = "x", ObjectLockLegalHoldStatus = ObjectLockLegalHoldStatus.On });
        var xml = "<Delete>" + string.Concat(new[] { ("free", free.VersionId), ("governed", governed.VersionId), ("compliant", compliant.VersionId), ("held", held.VersionId) }
            .Select(o => $"<Object><Key>{o.Item1}</Key><VersionId>{o.Item2}</VersionId></Object>")) + "</Delete>";

        var reply = await SendXml("POST", $"/{_locked}?delete", xml, [new("x-amz-bypass-governance-retention", "true")]);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var deleted = Elements(reply, "Deleted").Select(e => e.Elements().Single(c => c.Name.LocalName == "Key").Value).Order(StringComparer.Ordinal);
        Assert.Equal(["free", "governed"], deleted);
        var errors = Elements(reply, "Error").Select(e => (Key: e.Elements().Single(c => c.Name.LocalName == "Key").Value, Code: e.Elements().Single(c => c.Name.LocalName == "Code").Value));
        Assert.Equal([("compliant", "AccessDenied"), ("held", "AccessDenied")], errors.OrderBy(e => e.Key, StringComparer.Ordinal));
        var versions = (await _s3.ListVersionsAsync(_locked)).Versions.Select(v => v.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["compliant", "held"], versions);
    }

    // Delete markers hold no lock: in a bucket with a default COMPLIANCE retention, a marker can be removed by version id.
    [Fact]
    public async Task A_delete_marker_in_a_bucket_with_default_retention_can_be_deleted_by_version_id()
    {
        const string Rule = "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>";
        Assert.Equal(HttpStatusCode.OK, (await SendXml("PUT", $"/{_locked}?object-lock", Rule)).Status);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _locked, Key = "k", ContentBody = "x" });
        var marker = await _s3.DeleteObjectAsync(_locked, "k");
        Assert.Equal("true", marker.DeleteMarker);

        Assert.Equal(HttpStatusCode.NoContent, (await Send("DELETE", $"/{_locked}/k?versionId={Uri.EscapeDataString(marker.VersionId)}")).Status);
        Assert.Equal("x", (await Send("GET", $"/{_locked}/k")).Body);
        S3Reply.AssertError(await Send("DELETE", $"/{_locked}/k?versionId={Uri.EscapeDataString(put.VersionId)}"), HttpStatusCode.Forbidden, "AccessDenied");
    }

    // The lifecycle's noncurrent expiration leaves versions under a retention or a legal hold, and expires the others.
    [Fact]
    public async Task Lifecycle_expiration_does_not_delete_locked_noncurrent_versions()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        const string Bucket = "locked-lifecycle";
        using (var s3 = S3ClientFactory.Create(server))
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, ObjectLockEnabledForBucket = true });
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Bucket,
                Key = "retained",
                ContentBody = "v1",
                ObjectLockMode = ObjectLockMode.Compliance,
                ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(30),
            });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "held", ContentBody = "v1", ObjectLockLegalHoldStatus = ObjectLockLegalHoldStatus.On });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "free", ContentBody = "v1" });
            foreach (var key in new[] { "retained", "held", "free" })
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "v2" });
            }

            await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
            {
                BucketName = Bucket,
                Configuration = new LifecycleConfiguration
                {
                    Rules =
                    [
                        new LifecycleRule
                        {
                            Id = "noncurrent",
                            Status = LifecycleRuleStatus.Enabled,
                            Filter = new LifecycleFilter { Prefix = "" },
                            NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 1 },
                        },
                    ],
                },
            });
        }

        clock.Advance(TimeSpan.FromDays(3));
        var pass = server.Server.Lifecycle!.NextPassAsync();
        clock.Advance(TimeSpan.FromHours(1));
        await pass.WaitAsync(Patience);

        var listing = await Send("GET", $"/{Bucket}?versions", server: server, clock: clock);
        Assert.Equal(HttpStatusCode.OK, listing.Status);
        var keys = Elements(listing, "Version").Select(v => v.Elements().Single(e => e.Name.LocalName == "Key").Value).Order(StringComparer.Ordinal);
        Assert.Equal(["free", "held", "held", "retained", "retained"], keys);
    }

    // ================================================================ helpers: forms

    private sealed record Part(string Name, byte[] Value, string? FileName = null)
    {
        public static Part Field(string name, string value) => new(name, Encoding.UTF8.GetBytes(value));

        public static Part File(byte[] content, string fileName = "upload.bin") => new("file", content, fileName);
    }

    /// <summary>
    /// A form signed with Signature Version 4 by the first account: its key, the signature's fields and the policy,
    /// whose conditions name the bucket, the key (exactly, or by <paramref name="keyCondition"/>), the signature's fields
    /// and <paramref name="conditions"/>; or a policy of exactly <paramref name="rawPolicy"/>'s text.
    /// </summary>
    private static List<Part> SignedForm(
        string bucket,
        string key,
        DateTimeOffset now,
        string? condition = null,
        string? condition2 = null,
        string? keyCondition = null,
        string? rawPolicy = null,
        DateTimeOffset? expiration = null,
        string region = "us-east-1",
        string service = "s3")
    {
        var day = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var date = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var credential = $"test/{day}/{region}/{service}/aws4_request";
        var extra = string.Concat(new[] { condition, condition2 }.Where(c => c is not null).Select(c => ", " + c));
        var json = rawPolicy ?? $$"""
            {"expiration": "{{Iso(expiration ?? now.AddMinutes(10))}}", "conditions": [{"bucket": "{{bucket}}"}, {{keyCondition ?? $"[\"eq\", \"$key\", \"{key}\"]"}},
              {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": "{{credential}}"}, {"x-amz-date": "{{date}}"}{{extra}}]}
            """;
        var policy = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        var signingKey = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4test"), Encoding.UTF8.GetBytes(day));
        foreach (var part in new[] { region, service, "aws4_request" })
        {
            signingKey = HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(part));
        }

        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(policy)));
        return
        [
            Part.Field("key", key),
            Part.Field("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            Part.Field("x-amz-credential", credential),
            Part.Field("x-amz-date", date),
            Part.Field("policy", policy),
            Part.Field("x-amz-signature", signature),
        ];
    }

    /// <summary>POSTs the parts as multipart/form-data, in order; unclosed, the body stops right after the last part's bytes.</summary>
    private async Task<S3Reply> Post(IEnumerable<Part> parts, string? bucket = null, ServerFixture? server = null, bool close = true)
    {
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        var list = parts.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var part = list[i];
            Write($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{part.Name}\"" + (part.FileName is null ? "" : $"; filename=\"{part.FileName}\"") + "\r\n");
            if (part.FileName is not null)
            {
                Write("Content-Type: application/octet-stream\r\n");
            }

            Write("\r\n");
            body.Write(part.Value);
            if (close || i < list.Count - 1)
            {
                Write("\r\n");
            }
        }

        if (close)
        {
            Write($"--{Boundary}--\r\n");
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri((server ?? _server).Endpoint, "/" + (bucket ?? _bucket))) { Content = content };
        return await Exchange(request);
    }

    // ================================================================ helpers: requests

    private async Task<PutObjectResponse> PutArchived(string bucket, string key, string body = "archived") =>
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body, StorageClass = S3StorageClass.Glacier });

    private async Task<PutObjectResponse> PutLocked(string key, ObjectLockMode mode) =>
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _locked, Key = key, ContentBody = "x", ObjectLockMode = mode, ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(1) });

    private async Task EnableVersioning(string bucket) =>
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });

    /// <summary>RestoreObject with a RestoreRequest of <paramref name="inner"/>; <paramref name="isPath"/> when the key carries its own query.</summary>
    private Task<S3Reply> Restore(string bucket, string key, string inner, bool isPath = false, ServerFixture? server = null, TimeProvider? clock = null)
    {
        var path = isPath ? $"/{bucket}/{key}&restore" : $"/{bucket}/{key}?restore";
        return SendXml("POST", path, $"<RestoreRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{inner}</RestoreRequest>", server: server, clock: clock);
    }

    private async Task AssertAbsent(string bucket, string key)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(bucket, key));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    private Task<S3Reply> SendXml(string method, string path, string xml, IEnumerable<KeyValuePair<string, string>>? headers = null, string accessKey = "test", string secret = "test", ServerFixture? server = null, TimeProvider? clock = null)
    {
        var body = Encoding.UTF8.GetBytes(xml);
        return Send(method, path, body, [new("Content-MD5", Convert.ToBase64String(MD5.HashData(body))), .. headers ?? []], "application/xml", server, clock, accessKey, secret);
    }

    /// <summary>A request signed by the first account (or the given key), on this class's server or another one and its clock.</summary>
    private async Task<S3Reply> Send(
        string method,
        string pathAndQuery,
        byte[]? body = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        string? contentType = null,
        ServerFixture? server = null,
        TimeProvider? clock = null,
        string accessKey = "test",
        string secret = "test")
    {
        var extra = headers?.ToList() ?? [];
        using var request = SignedHttp.Build(server ?? _server, method, pathAndQuery, "s3", body ?? [], contentType, extra, accessKey, secret, clock: clock);
        foreach (var (name, value) in extra.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
        {
            request.Content!.Headers.TryAddWithoutValidation(name, value);
        }

        return await Exchange(request);
    }

    private static Task<S3Reply> Exchange(HttpRequestMessage request) => S3Reply.ExchangeAsync(Http, request);

    private static IEnumerable<XElement> Elements(S3Reply reply, string name) =>
        XDocument.Parse(reply.Body).Root!.Elements().Where(e => e.Name.LocalName == name);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

#pragma warning disable CA5350 // SigV2 is HMAC-SHA1 by definition.
    private static string SigV2(string stringToSign, string secret) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));
#pragma warning restore CA5350
}
