using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;

namespace Stratus.Compatibility.Tests.S3;

public sealed class ScrubTests
{
    [Fact]
    public async Task The_background_scrubber_walks_every_stored_object_on_the_server_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        using (var s3 = S3ClientFactory.Create(server))
        {
            await s3.PutBucketAsync("scrubbed");
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "scrubbed", Key = "sharded", InputStream = new MemoryStream(RandomNumberGenerator.GetBytes(3_000_000)) });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "scrubbed", Key = "inline", ContentBody = "small" });
        }

        clock.Advance(TimeSpan.FromMinutes(61));
        using var http = new HttpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        JsonElement scrub;
        while (true)
        {
            using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.Endpoint, "/_stratus/health"), timeout.Token));
            if (health.RootElement.GetProperty("drives").TryGetProperty("lastScrub", out var pass))
            {
                scrub = pass.Clone();
                break;
            }

            await Task.Delay(50, timeout.Token);
        }

        Assert.Equal(2, scrub.GetProperty("objects").GetInt32());
        Assert.Equal(0, scrub.GetProperty("damagedShards").GetInt32());
        Assert.Equal(0, scrub.GetProperty("lostObjects").GetInt32());
    }
}
