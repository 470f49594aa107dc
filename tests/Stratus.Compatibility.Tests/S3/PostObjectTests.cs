using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>
/// Browser-form uploads (POST Object): forms made by the SDK's CreatePresignedPost, sent as multipart/form-data with
/// HttpClient as a browser would, and the ways S3 refuses a form.
/// </summary>
public sealed class PostObjectTests : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly ServerFixture _server;
    private readonly AmazonS3Client _s3;
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false });
    private readonly string _bucket = S3ClientFactory.NewBucketName();

    public PostObjectTests(ServerFixture server)
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

    [Fact]
    public async Task A_form_the_SDK_signed_uploads_the_file_with_its_headers_and_metadata()
    {
        var post = await Presign("notes/today.txt", new() { ["Content-Type"] = "text/plain", ["x-amz-meta-color"] = "blue" });

        using var response = await Send(post.Url, post.Fields, "hello form"u8.ToArray());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("\"aafb8b67d953fc5fb8c3062d09e49e87\"", response.Headers.ETag?.Tag);
        Assert.EndsWith($"/{_bucket}/notes/today.txt", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        using var get = await _s3.GetObjectAsync(_bucket, "notes/today.txt");
        Assert.Equal("hello form", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        Assert.Equal("text/plain", get.Headers.ContentType);
        Assert.Equal("blue", get.Metadata["color"]);
    }

    [Fact]
    public async Task The_file_name_fills_in_the_key_and_status_201_answers_a_PostResponse()
    {
        var post = await Presign("uploads/${filename}", new() { ["success_action_status"] = "201" });

        using var response = await Send(post.Url, post.Fields, "x"u8.ToArray(), fileName: "photo.jpg");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("PostResponse", xml.Name.LocalName);
        Assert.Equal(_bucket, xml.Elements().Single(e => e.Name.LocalName == "Bucket").Value);
        Assert.Equal("uploads/photo.jpg", xml.Elements().Single(e => e.Name.LocalName == "Key").Value);
        Assert.Equal(1, (await _s3.GetObjectMetadataAsync(_bucket, "uploads/photo.jpg")).ContentLength);
    }

    [Fact]
    public async Task A_form_posted_to_the_bucket_host_name_answers_that_style_of_Location()
    {
        var post = await Presign("vh/key", []);
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in post.Fields)
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(new ByteArrayContent("x"u8.ToArray()), "file", "f");
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.ServiceUrl + "/") { Content = form };
        request.Headers.Host = $"{_bucket}.localhost:{_server.Endpoint.Port}";

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal($"http://{_bucket}.localhost:{_server.Endpoint.Port}/vh/key", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_redirect_field_answers_303_to_it_with_the_bucket_key_and_etag()
    {
        var post = await Presign("r", new() { ["success_action_redirect"] = "https://example.com/done?from=form" });

        using var response = await Send(post.Url, post.Fields, "x"u8.ToArray());

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("https://example.com/done?from=form&bucket=" + _bucket + "&key=r&etag=", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_outside_the_content_length_range_is_refused_and_not_stored()
    {
        var post = await Presign("ranged", [], [S3PostCondition.ContentLengthRange(2, 4)]);

        using var large = await Send(post.Url, post.Fields, "12345"u8.ToArray());
        await AssertError(large, HttpStatusCode.BadRequest, "EntityTooLarge");
        using var small = await Send(post.Url, post.Fields, "1"u8.ToArray());
        await AssertError(small, HttpStatusCode.BadRequest, "EntityTooSmall");
        await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(_bucket, "ranged"));

        using var fits = await Send(post.Url, post.Fields, "123"u8.ToArray());
        Assert.Equal(HttpStatusCode.NoContent, fits.StatusCode);
    }

    [Fact]
    public async Task A_changed_field_an_extra_field_or_a_wrong_signature_is_refused()
    {
        var post = await Presign("guarded", new() { ["x-amz-meta-color"] = "blue" });

        using var changed = await Send(post.Url, With(post.Fields, "x-amz-meta-color", "red"), "x"u8.ToArray());
        await AssertError(changed, HttpStatusCode.Forbidden, "AccessDenied", "Policy Condition failed");
        using var extra = await Send(post.Url, With(post.Fields, "x-amz-meta-extra", "1"), "x"u8.ToArray());
        await AssertError(extra, HttpStatusCode.Forbidden, "AccessDenied", "Extra input fields: x-amz-meta-extra");
        using var ignored = await Send(post.Url, With(post.Fields, "x-ignore-tracking", "1"), "x"u8.ToArray());
        Assert.Equal(HttpStatusCode.NoContent, ignored.StatusCode);
        using var forged = await Send(post.Url, With(post.Fields, "x-amz-signature", new string('0', 64)), "x"u8.ToArray());
        await AssertError(forged, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
        using var otherKey = await Send(post.Url, With(post.Fields, "x-amz-credential", post.Fields["x-amz-credential"].Replace("test/", "AKIANOSUCHKEY0000000/", StringComparison.Ordinal)), "x"u8.ToArray());
        await AssertError(otherKey, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
    }

    [Fact]
    public async Task An_expired_policy_is_refused()
    {
        var post = await Presign("late", [], expires: DateTime.UtcNow.AddMinutes(-1));

        using var response = await Send(post.Url, post.Fields, "x"u8.ToArray());

        await AssertError(response, HttpStatusCode.Forbidden, "AccessDenied", "Policy expired");
    }

    [Fact]
    public async Task The_signer_needs_s3_PutObject_on_the_key()
    {
        using var stranger = S3ClientFactory.Create(_server, ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        var post = await stranger.CreatePresignedPostAsync(new CreatePresignedPostRequest { BucketName = _bucket, Key = "theirs", Expires = DateTime.UtcNow.AddMinutes(10) });

        using var response = await Send(post.Url, post.Fields, "x"u8.ToArray());

        await AssertError(response, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task An_unsigned_form_writes_only_where_a_bucket_policy_lets_everyone()
    {
        var fields = new Dictionary<string, string> { ["key"] = "anonymous" };
        using var refused = await Send(BucketUrl(), fields, "x"u8.ToArray());
        await AssertError(refused, HttpStatusCode.Forbidden, "AccessDenied");

        await _s3.PutBucketPolicyAsync(_bucket, $$"""
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::{{_bucket}}/public/*"}]}
            """);
        using var allowed = await Send(BucketUrl(), new() { ["key"] = "public/drop" }, "x"u8.ToArray());
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
    }

    [Fact]
    public async Task Malformed_forms_get_S3s_answers()
    {
        using var notMultipart = await Http.PostAsync(BucketUrl(), new StringContent("key=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await AssertError(notMultipart, HttpStatusCode.PreconditionFailed, "PreconditionFailed");

        var post = await Presign("k", []);
        using var noFile = await Send(post.Url, post.Fields, file: null);
        await AssertError(noFile, HttpStatusCode.BadRequest, "InvalidArgument", "exactly one file");

        using var noKey = await Send(post.Url, Without(post.Fields, "key"), "x"u8.ToArray());
        await AssertError(noKey, HttpStatusCode.BadRequest, "InvalidArgument", "'key'");

        using var noPolicy = await Send(post.Url, Without(post.Fields, "policy"), "x"u8.ToArray());
        await AssertError(noPolicy, HttpStatusCode.BadRequest, "InvalidArgument", "'policy'");

        using var badCredential = await Send(post.Url, With(post.Fields, "x-amz-credential", "garbage"), "x"u8.ToArray());
        await AssertError(badCredential, HttpStatusCode.BadRequest, "InvalidArgument");

        using var badAlgorithm = await Send(post.Url, With(post.Fields, "x-amz-algorithm", "AWS4-HMAC-MD5"), "x"u8.ToArray());
        await AssertError(badAlgorithm, HttpStatusCode.BadRequest, "InvalidArgument");

        using var notMultipartBody = await Http.PostAsync(BucketUrl(), new StringContent("no boundary here", Encoding.UTF8, "multipart/form-data"));
        await AssertError(notMultipartBody, HttpStatusCode.PreconditionFailed, "PreconditionFailed");

        using var brokenBody = new StringContent("--b\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--b-oops", Encoding.UTF8);
        brokenBody.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        using var broken = await Http.PostAsync(BucketUrl(), brokenBody);
        await AssertError(broken, HttpStatusCode.BadRequest, "MalformedPOSTRequest");

        using var badPolicy = await Send(post.Url, With(post.Fields, "policy", "not base64!"), "x"u8.ToArray());
        await AssertError(badPolicy, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        using var tooMuch = await Send(post.Url, With(post.Fields, "x-ignore-padding", new string('p', 21 * 1024)), "x"u8.ToArray());
        await AssertError(tooMuch, HttpStatusCode.BadRequest, "MaxPostPreDataLengthExceededError");

        using var noBucket = await Send(_server.ServiceUrl + "/no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], new() { ["key"] = "k" }, "x"u8.ToArray());
        await AssertError(noBucket, HttpStatusCode.NotFound, "NoSuchBucket");
    }

    private string BucketUrl() => $"{_server.ServiceUrl}/{_bucket}";

    private Task<CreatePresignedPostResponse> Presign(string key, Dictionary<string, string> fields, List<S3PostCondition>? conditions = null, DateTime? expires = null)
    {
        var request = new CreatePresignedPostRequest { BucketName = _bucket, Key = key, Expires = expires ?? DateTime.UtcNow.AddMinutes(10), Conditions = conditions ?? [] };
        foreach (var (name, value) in fields)
        {
            request.Fields[name] = value;
        }

        return _s3.CreatePresignedPostAsync(request);
    }

    // Field names are compared without case (the SDK sends "Policy", boto3 "policy").
    private static Dictionary<string, string> With(Dictionary<string, string> fields, string name, string value) =>
        new(Without(fields, name)) { [name] = value };

    private static Dictionary<string, string> Without(Dictionary<string, string> fields, string name) =>
        fields.Where(f => !f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).ToDictionary();

    // The fields in order, then the file last, as a browser sends a form.
    private static async Task<HttpResponseMessage> Send(string url, Dictionary<string, string> fields, byte[]? file, string fileName = "upload.bin")
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        if (file is not null)
        {
            form.Add(new ByteArrayContent(file), "file", fileName);
        }

        using (form)
        {
            return await Http.PostAsync(url, form);
        }
    }

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string code, string? message = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var error = XDocument.Parse(body).Root!;
        Assert.Equal(code, error.Element("Code")?.Value);
        if (message is not null)
        {
            Assert.Contains(message, error.Element("Message")?.Value, StringComparison.Ordinal);
        }
    }
}
