using Amazon.S3;
using Amazon.S3.Model;

namespace Stratus.Compatibility.Tests.S3;

/// <summary>Event notification configuration: validated as S3 validates it, stored and echoed.</summary>
public sealed class BucketNotificationTests : IClassFixture<ServerFixture>
{
    private const string Queue = "arn:aws:sqs:us-east-1:000000000000:uploads";
    private const string Function = "arn:aws:lambda:us-east-1:000000000000:function:thumbnail";
    private const string Topic = "arn:aws:sns:us-east-1:000000000000:alerts";
    private readonly ServerFixture _server;

    public BucketNotificationTests(ServerFixture server) => _server = server;

    private static Filter KeyFilter(string? prefix, string? suffix)
    {
        var rules = new List<FilterRule>();
        if (prefix is not null)
        {
            rules.Add(new FilterRule("prefix", prefix));
        }

        if (suffix is not null)
        {
            rules.Add(new FilterRule("suffix", suffix));
        }

        return new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = rules } };
    }

    private static QueueConfiguration QueueOn(string @event, string? prefix = null, string? suffix = null, string queue = Queue) =>
        new() { Queue = queue, Events = [new EventType(@event)], Filter = prefix is null && suffix is null ? null : KeyFilter(prefix, suffix) };

    [Fact]
    public async Task A_configuration_round_trips_and_an_empty_one_clears_it()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        var empty = await s3.GetBucketNotificationAsync(bucket);
        Assert.True(empty.QueueConfigurations is null or { Count: 0 });

        await s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            QueueConfigurations = [new QueueConfiguration { Id = "q", Queue = Queue, Events = [EventType.ObjectCreatedAll], Filter = KeyFilter("uploads/", ".csv") }],
            LambdaFunctionConfigurations = [new LambdaFunctionConfiguration { FunctionArn = Function, Events = [EventType.ObjectCreatedPut], Filter = KeyFilter("images/", null) }],
            TopicConfigurations = [new TopicConfiguration { Id = "t", Topic = Topic, Events = [EventType.ObjectRemovedAll] }],
            EventBridgeConfiguration = new EventBridgeConfiguration(),
        });

        var stored = await s3.GetBucketNotificationAsync(bucket);
        var queue = Assert.Single(stored.QueueConfigurations);
        Assert.Equal("q", queue.Id);
        Assert.Equal(Queue, queue.Queue);
        Assert.Equal("s3:ObjectCreated:*", Assert.Single(queue.Events).Value);
        Assert.Equal(2, queue.Filter.S3KeyFilter.FilterRules.Count);
        Assert.Contains(queue.Filter.S3KeyFilter.FilterRules, r => r.Name.Equals("prefix", StringComparison.OrdinalIgnoreCase) && r.Value == "uploads/");
        var function = Assert.Single(stored.LambdaFunctionConfigurations);
        Assert.Equal(Function, function.FunctionArn);
        Assert.False(string.IsNullOrEmpty(function.Id));
        Assert.Equal(Topic, Assert.Single(stored.TopicConfigurations).Topic);
        Assert.NotNull(stored.EventBridgeConfiguration);

        await s3.PutBucketNotificationAsync(new PutBucketNotificationRequest { BucketName = bucket });
        var cleared = await s3.GetBucketNotificationAsync(bucket);
        Assert.True(cleared.QueueConfigurations is null or { Count: 0 });
        Assert.True(cleared.TopicConfigurations is null or { Count: 0 });
    }

    [Fact]
    public async Task Non_overlapping_filters_for_one_event_are_accepted()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            QueueConfigurations = [QueueOn("s3:ObjectCreated:*", "images/"), QueueOn("s3:ObjectCreated:*", "videos/"), QueueOn("s3:ObjectCreated:Put", "docs/", ".pdf"), QueueOn("s3:ObjectCreated:Put", "docs/", ".txt")],
        });
        Assert.Equal(4, (await s3.GetBucketNotificationAsync(bucket)).QueueConfigurations.Count);
    }

    [Theory]
    [InlineData("s3:ObjectCreated:*", null, null, "s3:ObjectCreated:Put", null, null)]
    [InlineData("s3:ObjectCreated:Put", "images/", null, "s3:ObjectCreated:Put", "images/cats/", null)]
    [InlineData("s3:ObjectCreated:Put", "a/", ".jpg", "s3:ObjectCreated:*", null, "g.jpg")]
    [InlineData("s3:ObjectRemoved:*", null, ".log", "s3:ObjectRemoved:Delete", "logs/", null)]
    public async Task Overlapping_configurations_for_one_event_are_refused(string firstEvent, string? firstPrefix, string? firstSuffix, string secondEvent, string? secondPrefix, string? secondSuffix)
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = bucket,
            QueueConfigurations = [QueueOn(firstEvent, firstPrefix, firstSuffix), QueueOn(secondEvent, secondPrefix, secondSuffix, "arn:aws:sqs:us-east-1:000000000000:other")],
        }));
        Assert.Equal("InvalidArgument", error.ErrorCode);
    }

    [Fact]
    public async Task Bad_events_ARNs_and_filter_rules_are_refused()
    {
        using var s3 = S3ClientFactory.Create(_server);
        var bucket = S3ClientFactory.NewBucketName();
        await s3.PutBucketAsync(bucket);

        async Task<AmazonS3Exception> Refused(PutBucketNotificationRequest request)
        {
            request.BucketName = bucket;
            return await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketNotificationAsync(request));
        }

        var badEvent = await Refused(new PutBucketNotificationRequest { QueueConfigurations = [QueueOn("s3:ObjectExploded")] });
        Assert.Equal("InvalidArgument", badEvent.ErrorCode);
        Assert.Contains("not supported", badEvent.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidArgument", (await Refused(new PutBucketNotificationRequest { QueueConfigurations = [QueueOn("s3:ObjectCreated:*", queue: "not-an-arn")] })).ErrorCode);
        Assert.Equal("InvalidArgument", (await Refused(new PutBucketNotificationRequest { QueueConfigurations = [QueueOn("s3:ObjectCreated:*", queue: Topic)] })).ErrorCode);
        Assert.Equal("InvalidArgument", (await Refused(new PutBucketNotificationRequest
        {
            LambdaFunctionConfigurations = [new LambdaFunctionConfiguration { FunctionArn = "arn:aws:lambda:us-east-1:000000000000:layer:x", Events = [EventType.ObjectCreatedAll] }],
        })).ErrorCode);
        Assert.Equal("InvalidArgument", (await Refused(new PutBucketNotificationRequest
        {
            QueueConfigurations = [new QueueConfiguration { Queue = Queue, Events = [EventType.ObjectCreatedAll], Filter = new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = [new FilterRule("infix", "x")] } } }],
        })).ErrorCode);
        Assert.Equal("InvalidArgument", (await Refused(new PutBucketNotificationRequest
        {
            QueueConfigurations = [new QueueConfiguration { Queue = Queue, Events = [EventType.ObjectCreatedAll], Filter = new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = [new FilterRule("prefix", "a"), new FilterRule("prefix", "b")] } } }],
        })).ErrorCode);
        Assert.Equal("InvalidArgument", (await Refused(new PutBucketNotificationRequest
        {
            QueueConfigurations = [new QueueConfiguration { Id = "same", Queue = Queue, Events = [EventType.ObjectCreatedAll] }, new QueueConfiguration { Id = "same", Queue = Queue, Events = [EventType.ObjectRemovedAll] }],
        })).ErrorCode);
    }
}
