using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Checksums;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>
/// Malformed and edge-case S3 requests: each must be answered as Amazon S3 answers it (code, status, an XML error body
/// with a request id), never with a 500, a hang, a stack trace, or lost or corrupted data.
/// </summary>
public sealed class AdversarialInputTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string MissingBucket = "adv-no-such-bucket-7f3a9c";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private static readonly SigV4Signer Signer = new(TimeProvider.System);
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public AdversarialInputTests(ServerFixture server)
    {
        _server = server;
        _s3 = S3ClientFactory.Create(server);
    }

    public Task InitializeAsync() => _s3.PutBucketAsync(_bucket);

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    // ---------------------------------------------------------------- XML bodies

    [Theory]
    [InlineData("")]
    [InlineData("<Tagging><TagSet><Tag><Key>a</Key>")]
    [InlineData("<NotTagging><TagSet/></NotTagging>")]
    [InlineData("plain text, not xml")]
    [InlineData("<Tagging><TagSet></TagSet></Tagging><Second/>")]
    public async Task Tagging_bodies_that_are_empty_truncated_or_wrongly_rooted_are_MalformedXML(string body)
    {
        var reply = await SendXml("PUT", $"/{_bucket}?tagging", body);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MalformedXML");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}?tagging"), HttpStatusCode.NotFound, "NoSuchTagSet");
    }

    [Fact]
    public async Task An_external_entity_in_a_tagging_body_is_refused_and_reads_no_file()
    {
        var secret = Path.Combine(Path.GetTempPath(), "stratus-adv-secret-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(secret, "TOP-SECRET-CONTENT");
        try
        {
            var body = $"""
                <?xml version="1.0"?>
                <!DOCTYPE Tagging [<!ENTITY xxe SYSTEM "file://{secret}">]>
                <Tagging><TagSet><Tag><Key>leak</Key><Value>&xxe;</Value></Tag></TagSet></Tagging>
                """;
            var reply = await SendXml("PUT", $"/{_bucket}?tagging", body);
            S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MalformedXML");
            Assert.DoesNotContain("TOP-SECRET", reply.Body, StringComparison.Ordinal);
            var tags = await Send("GET", $"/{_bucket}?tagging");
            Assert.DoesNotContain("TOP-SECRET", tags.Body, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task A_billion_laughs_versioning_body_is_refused_quickly_and_changes_nothing()
    {
        var body = """
            <?xml version="1.0"?>
            <!DOCTYPE VersioningConfiguration [
              <!ENTITY a "Enabled">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
              <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
              <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
              <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
              <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
              <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
              <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
            ]>
            <VersioningConfiguration><Status>&i;</Status></VersioningConfiguration>
            """;
        var started = DateTime.UtcNow;
        var reply = await SendXml("PUT", $"/{_bucket}?versioning", body);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the entity expansion took too long");
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MalformedXML");
        var versioning = await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = _bucket });
        Assert.Equal(VersionStatus.Off, versioning.VersioningConfig.Status);
    }

    [Fact]
    public async Task A_deeply_nested_tagging_body_is_MalformedXML_quickly()
    {
        const int depth = 100_000;
        var xml = new StringBuilder("<Tagging><TagSet>");
        xml.Insert(xml.Length, "<a>", depth).Insert(xml.Length, "</a>", depth).Append("</TagSet></Tagging>");
        var started = DateTime.UtcNow;
        var reply = await SendXml("PUT", $"/{_bucket}?tagging", xml.ToString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), $"a {xml.Length}-character body took {DateTime.UtcNow - started} to answer");
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MalformedXML");
    }

    [Fact]
    public async Task A_tagging_body_without_a_TagSet_is_MalformedXML()
    {
        var reply = await SendXml("PUT", $"/{_bucket}?tagging", "<Tagging><Tag><Key>a</Key><Value>b</Value></Tag></Tagging>");
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MalformedXML");
    }

    [Fact]
    public async Task A_versioning_body_with_two_Status_elements_is_MalformedXML_and_changes_nothing()
    {
        var reply = await SendXml("PUT", $"/{_bucket}?versioning", "<VersioningConfiguration><Status>Enabled</Status><Status>Suspended</Status></VersioningConfiguration>");
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MalformedXML");
        var versioning = await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = _bucket });
        Assert.Equal(VersionStatus.Off, versioning.VersioningConfig.Status);
    }

    [Theory]
    [InlineData("ownershipControls", "<OwnershipControls><Rule><ObjectOwnership>EveryoneOwnsEverything</ObjectOwnership></Rule></OwnershipControls>")]
    [InlineData("notification", "<NotificationConfiguration><TopicConfiguration>")]
    [InlineData("lifecycle", "<LifecycleConfiguration><Rule><ID>x</ID><Status>Enabled</Status>")]
    [InlineData("cors", "<WrongRoot><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></WrongRoot>")]
    [InlineData("encryption", "")]
    [InlineData("publicAccessBlock", "<PublicAccessBlockConfiguration><BlockPublicAcls>maybe</BlockPublicAcls></PublicAccessBlockConfiguration>")]
    public async Task Malformed_bucket_configuration_bodies_are_MalformedXML(string subresource, string body)
    {
        var reply = await SendXml("PUT", $"/{_bucket}?{subresource}", body);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MalformedXML");
    }

    [Theory]
    [InlineData("")]
    [InlineData("<Delete></Delete>")]
    [InlineData("<Delete><Object></Object></Delete>")]
    [InlineData("<Delete><Object><Key>a</Key></Object>")]
    [InlineData("<Remove><Object><Key>a</Key></Object></Remove>")]
    public async Task DeleteObjects_with_an_empty_truncated_or_keyless_body_is_MalformedXML_and_deletes_nothing(string body)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "a", ContentBody = "keep" });
        S3Reply.AssertError(await SendXml("POST", $"/{_bucket}?delete", body), HttpStatusCode.BadRequest, "MalformedXML");
        Assert.Equal("keep", await Read("a"));
    }

    [Fact]
    public async Task DeleteObjects_with_more_than_1000_keys_is_MalformedXML_and_deletes_nothing()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "k0", ContentBody = "keep" });
        var xml = new StringBuilder("<Delete>");
        for (var i = 0; i < 1001; i++)
        {
            xml.Append("<Object><Key>k").Append(i).Append("</Key></Object>");
        }

        S3Reply.AssertError(await SendXml("POST", $"/{_bucket}?delete", xml.Append("</Delete>").ToString()), HttpStatusCode.BadRequest, "MalformedXML");
        Assert.Equal("keep", await Read("k0"));
    }

    [Fact]
    public async Task DeleteObjects_with_a_wrong_Content_MD5_is_BadDigest_and_deletes_nothing()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "victim", ContentBody = "keep" });
        var body = "<Delete><Object><Key>victim</Key></Object></Delete>";
        var wrong = Convert.ToBase64String(MD5.HashData("something else"u8));
        var reply = await Send("POST", $"/{_bucket}?delete", Encoding.UTF8.GetBytes(body), [new("Content-MD5", wrong)], "application/xml");
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "BadDigest");
        Assert.Equal("keep", await Read("victim"));
    }

    [Fact]
    public async Task PutBucketTagging_with_a_Content_MD5_that_is_not_base64_is_InvalidDigest()
    {
        var body = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>";
        var reply = await Send("PUT", $"/{_bucket}?tagging", Encoding.UTF8.GetBytes(body), [new("Content-MD5", "not*base64!")], "application/xml");
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidDigest");
    }

    [Theory]
    [InlineData("<CreateBucketConfiguration><LocationConstraint>not a region</LocationConstraint></CreateBucketConfiguration>", "InvalidLocationConstraint")]
    [InlineData("<CreateBucketConfiguration><LocationConstraint>eu-west-1", "MalformedXML")]
    [InlineData("<SomethingElse/>", "MalformedXML")]
    public async Task CreateBucket_with_a_bad_configuration_is_refused_and_creates_nothing(string body, string code)
    {
        var name = S3ClientFactory.NewBucketName();
        S3Reply.AssertError(await SendXml("PUT", $"/{name}", body), HttpStatusCode.BadRequest, code);
        S3Reply.AssertError(await Send("GET", $"/{name}?location"), HttpStatusCode.NotFound, "NoSuchBucket");
    }

    [Theory]
    [InlineData("")]
    [InlineData("<CompleteMultipartUpload>")]
    [InlineData("<CompleteMultipartUpload></CompleteMultipartUpload>")]
    [InlineData("<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>\"x\"</ETag></Part></CompleteMultipartUpload>")]
    public async Task CompleteMultipartUpload_with_an_empty_or_malformed_body_is_MalformedXML_and_the_upload_survives(string body)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "mp");
        S3Reply.AssertError(await SendXml("POST", $"/{_bucket}/mp?uploadId={Uri.EscapeDataString(upload.UploadId)}", body), HttpStatusCode.BadRequest, "MalformedXML");
        var parts = await _s3.ListPartsAsync(_bucket, "mp", upload.UploadId);
        Assert.Equal(upload.UploadId, parts.UploadId);
    }

    // ---------------------------------------------------------------- headers

    [Theory]
    [InlineData("not*base64!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_Content_MD5_that_is_not_base64_of_16_bytes_is_InvalidDigest_and_stores_nothing(string contentMd5)
    {
        var reply = await Send("PUT", $"/{_bucket}/md5", "hello"u8.ToArray(), [new("Content-MD5", contentMd5)]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidDigest");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/md5"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task Two_checksum_headers_on_one_put_are_InvalidRequest()
    {
        var data = "hello"u8.ToArray();
        var reply = await Send("PUT", $"/{_bucket}/two-sums", data,
        [
            new("x-amz-checksum-sha256", Convert.ToBase64String(SHA256.HashData(data))),
            new("x-amz-checksum-crc32", ChecksumCalculator.Compute(Stratus.Protocol.Checksums.ChecksumAlgorithm.Crc32, data)),
        ]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Contains("Multiple checksum Types are not allowed", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checksum_header_whose_value_is_not_a_checksum_is_InvalidRequest()
    {
        var reply = await Send("PUT", $"/{_bucket}/bad-sum", "hello"u8.ToArray(), [new("x-amz-checksum-crc32", "not-a-crc!")]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Contains("x-amz-checksum-crc32", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checksum_header_naming_an_unknown_algorithm_is_InvalidRequest()
    {
        var reply = await Send("PUT", $"/{_bucket}/md7", "hello"u8.ToArray(), [new("x-amz-checksum-md7", "AAAA")]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidRequest");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/md7"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task An_sdk_checksum_algorithm_that_differs_from_the_checksum_header_is_refused()
    {
        var data = "hello"u8.ToArray();
        var reply = await Send("PUT", $"/{_bucket}/mismatch", data,
        [
            new("x-amz-sdk-checksum-algorithm", "CRC32"),
            new("x-amz-checksum-sha256", Convert.ToBase64String(SHA256.HashData(data))),
        ]);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains(reply.Code, new[] { "InvalidRequest", "BadDigest" });
        S3Reply.AssertXmlError(reply);
    }

    [Theory]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-2")]
    [InlineData("items=0-1")]
    [InlineData("bytes=--1")]
    [InlineData("bytes=0-1,3-4")]
    public async Task A_garbage_Range_header_is_ignored_and_the_whole_object_is_served(string range)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "digits", ContentBody = "0123456789" });
        var reply = await Send("GET", $"/{_bucket}/digits", null, [new("Range", range)]);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("0123456789", reply.Body);
    }

    [Theory]
    [InlineData("If-Modified-Since")]
    [InlineData("If-Unmodified-Since")]
    public async Task An_unparseable_conditional_date_is_ignored(string header)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "dated", ContentBody = "x" });
        var reply = await Send("GET", $"/{_bucket}/dated", null, [new(header, "the day after tomorrow")]);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("x", reply.Body);
    }

    [Theory]
    [InlineData("just-a-bucket-name")]
    [InlineData("/{bucket}/")]
    [InlineData("/{bucket}")]
    public async Task A_malformed_copy_source_is_InvalidArgument(string source)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "src", ContentBody = "x" });
        var reply = await Send("PUT", $"/{_bucket}/dst", null, [new("x-amz-copy-source", source.Replace("{bucket}", _bucket, StringComparison.Ordinal))]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task A_copy_from_a_missing_bucket_is_NoSuchBucket_and_from_a_missing_key_NoSuchKey()
    {
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/dst", null, [new("x-amz-copy-source", $"/{MissingBucket}/src")]), HttpStatusCode.NotFound, "NoSuchBucket");
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/dst", null, [new("x-amz-copy-source", $"/{_bucket}/absent")]), HttpStatusCode.NotFound, "NoSuchKey");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/dst"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task A_copy_from_a_garbage_version_id_is_InvalidArgument()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "src", ContentBody = "x" });
        var reply = await Send("PUT", $"/{_bucket}/dst", null, [new("x-amz-copy-source", $"/{_bucket}/src?versionId=%00garbage%2F..")]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task An_unknown_metadata_directive_is_InvalidArgument()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "src", ContentBody = "x" });
        var reply = await Send("PUT", $"/{_bucket}/dst", null, [new("x-amz-copy-source", $"/{_bucket}/src"), new("x-amz-metadata-directive", "MERGE")]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task User_metadata_over_2_KB_is_MetadataTooLarge_and_stores_nothing()
    {
        var reply = await Send("PUT", $"/{_bucket}/meta", "x"u8.ToArray(), [new("x-amz-meta-big", new string('v', 2100))]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "MetadataTooLarge");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/meta"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task An_invalid_storage_class_on_PutObject_is_InvalidStorageClass()
    {
        var reply = await Send("PUT", $"/{_bucket}/sc", "x"u8.ToArray(), [new("x-amz-storage-class", "STORAGE-OF-DREAMS")]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidStorageClass");
    }

    [Fact]
    public async Task An_invalid_storage_class_on_CreateMultipartUpload_is_InvalidStorageClass()
    {
        var reply = await Send("POST", $"/{_bucket}/sc-mp?uploads", null, [new("x-amz-storage-class", "STORAGE-OF-DREAMS")]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidStorageClass");
    }

    // A body cut short (the client half-closes after 5 of its 10 bytes): Kestrel drops such a request before it reaches
    // Stratus, closing the connection; should it reach a handler, the answer is 400 IncompleteBody. Either way nothing
    // is stored.
    [Fact]
    public async Task A_body_shorter_than_its_Content_Length_stores_nothing()
    {
        int status;
        string body;
        try
        {
            (status, body) = await Raw("PUT", $"/{_bucket}/short", "hello"u8.ToArray(), declaredLength: 10, halfClose: true, unsignedPayload: true);
        }
        catch (IOException error)
        {
            (status, body) = (0, "no response: " + error.Message);
        }

        Assert.True(status == 0 || (status == 400 && body.Contains("<Code>IncompleteBody</Code>", StringComparison.Ordinal)), $"{status} {body}");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/short"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    // ---------------------------------------------------------------- query parameters

    [Theory]
    [InlineData("list-type=2&max-keys=-1")]
    [InlineData("list-type=2&max-keys=abc")]
    [InlineData("max-keys=99999999999")]
    [InlineData("list-type=2&encoding-type=bogus")]
    [InlineData("versions&max-keys=-5")]
    public async Task Bad_listing_parameters_are_InvalidArgument(string query)
    {
        S3Reply.AssertError(await Send("GET", $"/{_bucket}?{query}"), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task A_bad_max_uploads_is_InvalidArgument(string maxUploads)
    {
        await _s3.InitiateMultipartUploadAsync(_bucket, "pending");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}?uploads&max-uploads={maxUploads}"), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("one")]
    public async Task A_part_number_out_of_range_on_GetObject_is_InvalidArgument(string partNumber)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "p", ContentBody = "x" });
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/p?partNumber={partNumber}"), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public async Task UploadPart_with_a_part_number_out_of_range_is_InvalidArgument_and_records_no_part(string partNumber)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "mp");
        var reply = await Send("PUT", $"/{_bucket}/mp?partNumber={partNumber}&uploadId={Uri.EscapeDataString(upload.UploadId)}", "part"u8.ToArray());
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "InvalidArgument");
        Assert.Empty((await _s3.ListPartsAsync(_bucket, "mp", upload.UploadId)).Parts ?? []);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("..%2F..%2Fx")]
    [InlineData("%00")]
    public async Task UploadPart_to_an_unknown_or_garbage_upload_id_is_NoSuchUpload(string uploadId)
    {
        var reply = await Send("PUT", $"/{_bucket}/mp?partNumber=1&uploadId={uploadId}", "part"u8.ToArray());
        S3Reply.AssertError(reply, HttpStatusCode.NotFound, "NoSuchUpload");
    }

    [Fact]
    public async Task A_control_character_in_a_version_id_is_still_an_XML_InvalidArgument()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "v", ContentBody = "x" });
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/v?versionId=%01"), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task ListParts_with_a_negative_max_parts_or_marker_is_InvalidArgument()
    {
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "mp");
        var id = Uri.EscapeDataString(upload.UploadId);
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/mp?uploadId={id}&max-parts=-1"), HttpStatusCode.BadRequest, "InvalidArgument");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/mp?uploadId={id}&part-number-marker=abc"), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    // ---------------------------------------------------------------- keys

    [Fact]
    public async Task A_key_longer_than_1024_bytes_is_KeyTooLongError_and_1024_bytes_is_fine()
    {
        var longest = new string('k', 1024);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = longest, ContentBody = "ok" });
        Assert.Equal("ok", await Read(longest));

        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/{new string('k', 1025)}", "x"u8.ToArray()), HttpStatusCode.BadRequest, "KeyTooLongError");

        // 513 two-byte characters: 513 characters but 1,026 bytes.
        S3Reply.AssertError(await Send("PUT", $"/{_bucket}/{Uri.EscapeDataString(new string('é', 513))}", "x"u8.ToArray()), HttpStatusCode.BadRequest, "KeyTooLongError");
    }

    [Fact]
    public async Task Dot_segment_keys_sent_raw_are_stored_literally_and_never_touch_files_outside_the_data_directory()
    {
        var marker = "stratus-escape-" + Guid.NewGuid().ToString("N");
        string[] rawKeys = [$"a/../../../../../../../tmp/{marker}", $"./{marker}", $"/{marker}", $"%2E%2E/%2E%2E/{marker}", $"..%2F{marker}", $"b/./../{marker}"];
        foreach (var rawKey in rawKeys)
        {
            var (status, body) = await Raw("PUT", $"/{_bucket}/{rawKey}", Encoding.UTF8.GetBytes(rawKey));
            Assert.True(status == 200, $"PUT {rawKey}: {status} {body}");
        }

        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        var expected = rawKeys.Select(Uri.UnescapeDataString).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, listed.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal).ToList());
        foreach (var rawKey in rawKeys)
        {
            var (status, body) = await Raw("GET", $"/{_bucket}/{rawKey}", []);
            Assert.Equal(200, status);
            Assert.EndsWith(rawKey, body, StringComparison.Ordinal);
        }

        var root = Path.GetDirectoryName(_server.DataDirectory)!;
        Assert.Empty(Directory.EnumerateFileSystemEntries(root, "*" + marker + "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetTempPath(), "*" + marker + "*", SearchOption.TopDirectoryOnly));
    }

    [Fact]
    public async Task Keys_with_control_characters_round_trip_and_list_url_encoded()
    {
        const string key = "ctl/\u0001tab\there\u001f\u007f";
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "ctl" });
        Assert.Equal("ctl", await Read(key));
        var encoded = await Send("GET", $"/{_bucket}?list-type=2&prefix=ctl%2F&encoding-type=url");
        Assert.Equal(HttpStatusCode.OK, encoded.Status);
        Assert.Contains("<Key>ctl/%01tab%09here%1F%7F</Key>", encoded.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listing_without_url_encoding_of_a_key_with_a_control_character_is_not_a_500()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "ctl/\u0001", ContentBody = "ctl" });
        var plain = await Send("GET", $"/{_bucket}?list-type=2&prefix=ctl%2F");
        Assert.Equal(HttpStatusCode.OK, plain.Status);
    }

    [Fact]
    public async Task An_invalid_utf8_percent_sequence_in_a_key_never_aliases_another_key()
    {
        var (first, firstBody) = await Raw("PUT", $"/{_bucket}/bad%C3%28", "first"u8.ToArray());
        Assert.NotEqual(500, first);
        var (second, _) = await Raw("PUT", $"/{_bucket}/bad%25C3(", "second"u8.ToArray());
        Assert.Equal(200, second);
        if (first == 200)
        {
            var (status, body) = await Raw("GET", $"/{_bucket}/bad%C3%28", []);
            Assert.Equal(200, status);
            Assert.EndsWith("first", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(400, first);
            Assert.Contains("<Code>", firstBody, StringComparison.Ordinal);
        }
    }

    // Kestrel refuses a request line with an encoded NUL before Stratus sees it (a bare 400, no S3 XML error body); what
    // matters is that nothing is stored under a key with a NUL, which upload records use as a separator.
    [Fact]
    public async Task A_NUL_in_a_key_is_refused_and_stores_nothing()
    {
        var (status, _) = await Raw("PUT", $"/{_bucket}/nul%00key", "nul"u8.ToArray());
        Assert.Equal(400, status);
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "nul" });
        Assert.Empty(listed.S3Objects ?? []);
    }

    // ---------------------------------------------------------------- bucket names and missing buckets

    [Theory]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    [InlineData("xn--bucket")]
    [InlineData("my-bucket-s3alias")]
    [InlineData("sthree-bucket")]
    [InlineData("bucket.")]
    [InlineData("10.0.0.1")]
    public async Task Reserved_or_malformed_bucket_names_are_InvalidBucketName(string name)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketAsync(name));
        Assert.Equal(("InvalidBucketName", HttpStatusCode.BadRequest), (error.ErrorCode, error.StatusCode));
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "?list-type=2")]
    [InlineData("GET", "?versions")]
    [InlineData("GET", "?uploads")]
    [InlineData("GET", "?tagging")]
    [InlineData("GET", "?versioning")]
    [InlineData("GET", "?cors")]
    [InlineData("GET", "?lifecycle")]
    [InlineData("GET", "?acl")]
    [InlineData("GET", "?encryption")]
    [InlineData("GET", "?publicAccessBlock")]
    [InlineData("GET", "?ownershipControls")]
    [InlineData("GET", "?notification")]
    [InlineData("GET", "?policy")]
    [InlineData("GET", "?location")]
    [InlineData("DELETE", "")]
    [InlineData("DELETE", "?tagging")]
    [InlineData("PUT", "/key")]
    [InlineData("GET", "/key")]
    [InlineData("DELETE", "/key")]
    [InlineData("GET", "/key?tagging")]
    [InlineData("GET", "/key?acl")]
    [InlineData("POST", "/key?uploads")]
    [InlineData("PUT", "?tagging")]
    [InlineData("PUT", "?versioning")]
    [InlineData("POST", "?delete")]
    public async Task Every_kind_of_operation_on_a_missing_bucket_is_NoSuchBucket(string method, string pathAndQuery)
    {
        var body = (method, pathAndQuery) switch
        {
            ("PUT", "?tagging") => "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>",
            ("PUT", "?versioning") => "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
            ("POST", "?delete") => "<Delete><Object><Key>a</Key></Object></Delete>",
            ("PUT", "/key") => "data",
            _ => "",
        };
        var reply = body.StartsWith('<')
            ? await SendXml(method, $"/{MissingBucket}{pathAndQuery}", body)
            : await Send(method, $"/{MissingBucket}{pathAndQuery}", Encoding.UTF8.GetBytes(body));
        S3Reply.AssertError(reply, HttpStatusCode.NotFound, "NoSuchBucket");
    }

    // ---------------------------------------------------------------- methods

    [Theory]
    [InlineData("PATCH", "/obj")]
    [InlineData("PATCH", "")]
    public async Task An_unsupported_method_is_MethodNotAllowed(string method, string path)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "obj", ContentBody = "x" });
        var reply = await Send(method, $"/{_bucket}{path}", "x"u8.ToArray());
        S3Reply.AssertError(reply, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        Assert.Equal("x", await Read("obj"));
    }

    // S3 takes POST on a bucket as a browser form upload (PostObject); Stratus does not implement form uploads and says
    // so with an S3 error (501 NotImplemented), not a 500 or an empty answer.
    [Fact]
    public async Task A_bucket_POST_that_is_not_a_form_is_PreconditionFailed()
    {
        // A POST on a bucket is a browser-form upload (PostObject); its body must be multipart/form-data.
        var reply = await Send("POST", $"/{_bucket}", "x"u8.ToArray(), null, "application/octet-stream");
        S3Reply.AssertError(reply, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
    }

    // ---------------------------------------------------------------- multipart

    [Fact]
    public async Task Complete_with_parts_out_of_order_or_repeated_is_InvalidPartOrder()
    {
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "order");
        var one = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "order", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[5 * 1024 * 1024]) });
        var two = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "order", UploadId = upload.UploadId, PartNumber = 2, InputStream = new MemoryStream(new byte[5 * 1024 * 1024]) });
        var id = Uri.EscapeDataString(upload.UploadId);

        string Body(params (int Number, string ETag)[] parts) =>
            "<CompleteMultipartUpload>" + string.Concat(parts.Select(p => $"<Part><PartNumber>{p.Number}</PartNumber><ETag>{p.ETag}</ETag></Part>")) + "</CompleteMultipartUpload>";

        S3Reply.AssertError(await SendXml("POST", $"/{_bucket}/order?uploadId={id}", Body((2, two.ETag), (1, one.ETag))), HttpStatusCode.BadRequest, "InvalidPartOrder");
        S3Reply.AssertError(await SendXml("POST", $"/{_bucket}/order?uploadId={id}", Body((1, one.ETag), (1, one.ETag), (2, two.ETag))), HttpStatusCode.BadRequest, "InvalidPartOrder");
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/order"), HttpStatusCode.NotFound, "NoSuchKey");

        var done = await SendXml("POST", $"/{_bucket}/order?uploadId={id}", Body((1, one.ETag), (2, two.ETag)));
        Assert.Equal(HttpStatusCode.OK, done.Status);
    }

    [Fact]
    public async Task Completing_twice_is_NoSuchUpload_the_second_time_and_the_object_is_intact()
    {
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "twice");
        var part = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "twice", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream("only part"u8.ToArray()) });
        var complete = new CompleteMultipartUploadRequest { BucketName = _bucket, Key = "twice", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] };
        await _s3.CompleteMultipartUploadAsync(complete);
        var again = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CompleteMultipartUploadAsync(complete));
        Assert.Equal(("NoSuchUpload", HttpStatusCode.NotFound), (again.ErrorCode, again.StatusCode));
        Assert.Equal("only part", await Read("twice"));
    }

    [Fact]
    public async Task Abort_then_complete_or_upload_is_NoSuchUpload_and_stores_nothing()
    {
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "aborted");
        var part = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "aborted", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream("p"u8.ToArray()) });
        await _s3.AbortMultipartUploadAsync(_bucket, "aborted", upload.UploadId);

        var complete = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = "aborted",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, part.ETag)],
        }));
        Assert.Equal(("NoSuchUpload", HttpStatusCode.NotFound), (complete.ErrorCode, complete.StatusCode));
        var late = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "aborted", UploadId = upload.UploadId, PartNumber = 2, InputStream = new MemoryStream("p"u8.ToArray()) }));
        Assert.Equal(("NoSuchUpload", HttpStatusCode.NotFound), (late.ErrorCode, late.StatusCode));
        var abortAgain = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.AbortMultipartUploadAsync(_bucket, "aborted", upload.UploadId));
        Assert.Equal(("NoSuchUpload", HttpStatusCode.NotFound), (abortAgain.ErrorCode, abortAgain.StatusCode));
        S3Reply.AssertError(await Send("GET", $"/{_bucket}/aborted"), HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task An_upload_id_is_bound_to_its_key()
    {
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "mine");
        var reply = await Send("PUT", $"/{_bucket}/other?partNumber=1&uploadId={Uri.EscapeDataString(upload.UploadId)}", "p"u8.ToArray());
        S3Reply.AssertError(reply, HttpStatusCode.NotFound, "NoSuchUpload");
    }

    [Fact]
    public async Task UploadPart_with_a_wrong_Content_MD5_is_BadDigest_and_records_no_part()
    {
        var upload = await _s3.InitiateMultipartUploadAsync(_bucket, "digest");
        var wrong = Convert.ToBase64String(MD5.HashData("other"u8));
        var reply = await Send("PUT", $"/{_bucket}/digest?partNumber=1&uploadId={Uri.EscapeDataString(upload.UploadId)}", "part"u8.ToArray(), [new("Content-MD5", wrong)]);
        S3Reply.AssertError(reply, HttpStatusCode.BadRequest, "BadDigest");
        Assert.Empty((await _s3.ListPartsAsync(_bucket, "digest", upload.UploadId)).Parts ?? []);
    }

    // ---------------------------------------------------------------- helpers

    private async Task<string> Read(string key)
    {
        using var get = await _s3.GetObjectAsync(_bucket, key);
        using var reader = new StreamReader(get.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>A signed request over HttpClient; Content-* headers go on the content as HttpClient wants.</summary>
    private async Task<S3Reply> Send(string method, string pathAndQuery, byte[]? body = null, IEnumerable<KeyValuePair<string, string>>? headers = null, string? contentType = null)
    {
        var extra = headers?.ToList() ?? [];
        using var request = SignedHttp.Build(_server, method, pathAndQuery, "s3", body ?? [], contentType, extra);
        foreach (var (name, value) in extra)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content!.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await Http.SendAsync(request, timeout.Token);
        return new S3Reply(response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token));
    }

    /// <summary>An XML body sent with its correct Content-MD5, as S3 requires of several configuration operations.</summary>
    private Task<S3Reply> SendXml(string method, string pathAndQuery, string xml)
    {
        var body = Encoding.UTF8.GetBytes(xml);
        return Send(method, pathAndQuery, body, [new("Content-MD5", Convert.ToBase64String(MD5.HashData(body)))], "application/xml");
    }

    /// <summary>
    /// A signed request written byte for byte to a socket, so the path reaches the server exactly as given (no dot-segment
    /// removal or re-escaping by a client). Returns the status and everything after the response headers.
    /// </summary>
    private async Task<(int Status, string Body)> Raw(string method, string target, byte[] body, int? declaredLength = null, bool halfClose = false, bool unsignedPayload = false)
    {
        var queryAt = target.IndexOf('?', StringComparison.Ordinal);
        var signature = Signer.Sign(
            new SignedRequest
            {
                Method = method,
                RawPath = queryAt < 0 ? target : target[..queryAt],
                RawQuery = queryAt < 0 ? "" : target[(queryAt + 1)..],
                Headers = [new("Host", _server.Endpoint.Authority)],
                PayloadHash = unsignedPayload ? "UNSIGNED-PAYLOAD" : Convert.ToHexStringLower(SHA256.HashData(body)),
            },
            new SigV4SigningOptions
            {
                AccessKeyId = "test",
                SecretAccessKey = "test",
                Region = "us-east-1",
                Service = "s3",
                Rules = SigV4Rules.S3,
                ContentSha256 = unsignedPayload ? "UNSIGNED-PAYLOAD" : null,
            });
        var head = new StringBuilder().Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        foreach (var (name, value) in signature.Request.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(declaredLength ?? body.Length).Append("\r\nConnection: close\r\n\r\n");

        using var client = new TcpClient();
        await client.ConnectAsync(_server.Endpoint.Host, _server.Endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        if (halfClose)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(timeout.Token);
        if (response.Length == 0)
        {
            return (0, "the connection closed with no response");
        }

        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyAt = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, bodyAt < 0 ? "" : response[(bodyAt + 4)..]);
    }

    private static string XmlOf(string body)
    {
        var start = body.IndexOf('<', StringComparison.Ordinal);
        var end = body.LastIndexOf('>');
        return body[start..(end + 1)];
    }
}
