namespace Stratus.Protocol.Services;

/// <summary>What an operation asks the authorization step to decide: the IAM action, the resources and the context keys.</summary>
/// <param name="Action">The IAM action, for example <c>s3:GetObject</c>.</param>
/// <param name="Resources">The ARNs the action touches; <c>*</c> for actions that take no resource.</param>
public sealed record AuthorizationRequest(string Action, IReadOnlyList<string> Resources)
{
    /// <summary>Service-specific condition keys (<c>s3:prefix</c>, <c>dynamodb:LeadingKeys</c>…).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ConditionKeys { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Tag keys read only when a policy needs them (the resource's tags as <c>aws:ResourceTag/…</c>, say).</summary>
    public IReadOnlyList<LazyTagKeys> LazyTags { get; init; } = [];

    /// <summary>The account that owns the resources, when the service knows it (cross-account checks need it).</summary>
    public string? ResourceAccount { get; init; }

    /// <summary>True when the service lets an anonymous caller through for this request (a public bucket, say).</summary>
    public bool AnonymousAllowed { get; init; }

    /// <summary>
    /// True for the few actions any authenticated caller may always perform, whatever the policies say
    /// (<c>sts:GetCallerIdentity</c>): AWS does not evaluate policies for them.
    /// </summary>
    public bool NoPermissionRequired { get; init; }

    /// <summary>
    /// True when the operation authorizes <see cref="Action"/> itself, item by item, through
    /// <see cref="Pipeline.RequestContext.Authorize"/> (DeleteObjects checks <c>s3:DeleteObject</c> on each key and reports
    /// each refusal in its result, as AWS does); the pipeline then asks nothing up front.
    /// </summary>
    public bool AuthorizedByOperation { get; init; }

    /// <summary>An action on no particular resource.</summary>
    public static AuthorizationRequest ForAction(string action) => new(action, ["*"]);
}
