using Stratus.Protocol.Routing;

namespace Stratus.Protocol.Tests.Routing;

public sealed class S3HostStyleTests
{
    [Theory]
    [InlineData("site.s3-website.localhost:4566", "site")]
    [InlineData("site.s3-website-us-east-1.amazonaws.com", "site")]
    [InlineData("my.site.s3-website.eu-west-1.amazonaws.com", "my.site")]
    [InlineData("site.s3-website.us-east-1.localhost.localstack.cloud:4566", "site")]
    [InlineData("s3-website.localhost", null)]
    [InlineData("site.s3.localhost", null)]
    [InlineData("site.localhost", null)]
    [InlineData("site.s3-website.example.com", null)]
    [InlineData("127.0.0.1:4566", null)]
    public void A_website_host_names_its_bucket(string host, string? bucket) =>
        Assert.Equal(bucket, S3HostStyle.WebsiteBucketOf(host));
}
