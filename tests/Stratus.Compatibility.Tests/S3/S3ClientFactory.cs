using Amazon.Runtime;
using Amazon.S3;

namespace Stratus.Compatibility.Tests.S3;

internal static class S3ClientFactory
{
    public static AmazonS3Client Create(ServerFixture server, string accessKey = "test", string secret = "test") =>
        new(
            new BasicAWSCredentials(accessKey, secret),
            new AmazonS3Config
            {
                ServiceURL = server.ServiceUrl,
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
                MaxErrorRetry = 0,
            });

    public static string NewBucketName() => "b-" + Guid.NewGuid().ToString("N")[..20];
}
