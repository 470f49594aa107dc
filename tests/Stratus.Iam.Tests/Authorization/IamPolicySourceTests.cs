using Stratus.Iam.Authorization;
using Stratus.Iam.Policies;
using Stratus.Iam.Sts;
using Stratus.Iam.Tests.Users;
using Stratus.Iam.Users;
using Stratus.Protocol.Auth;

namespace Stratus.Iam.Tests.Authorization;

/// <summary>What the policy source hands the evaluator for users (with groups), roles and assumed-role sessions.</summary>
public sealed class IamPolicySourceTests : IDisposable
{
    private const string Account = IamStoreFixture.Account;
    private readonly IamStoreFixture _iam = new();
    private readonly IamPolicySource _source;

    public IamPolicySourceTests() => _source = new IamPolicySource(_iam.Store, new PolicyCache(), _iam.Sessions);

    [Fact]
    public async Task A_user_gets_its_own_and_its_groups_inline_and_managed_policies_its_boundary_and_tags()
    {
        var store = _iam.Store;
        var user = await store.CreateUserAsync(Account, "ann", "/");
        await store.PutUserPolicyAsync(Account, "ann", "own", IamStoreFixture.Allow("s3:GetObject"));
        await store.AttachPolicyAsync(PrincipalKind.User, Account, "ann", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        await store.CreateGroupAsync(Account, "devs", "/");
        await store.PutInlinePolicyAsync(PrincipalKind.Group, Account, "devs", "group-inline", IamStoreFixture.Allow("sqs:SendMessage"));
        await store.AttachPolicyAsync(PrincipalKind.Group, Account, "devs", "arn:aws:iam::aws:policy/IAMFullAccess");
        await store.AddUserToGroupAsync(Account, "devs", "ann");
        await store.UpdateUserAsync(Account, "ann", u =>
        {
            u.PermissionsBoundary = "arn:aws:iam::aws:policy/AmazonS3FullAccess";
            u.Tags = [new IamTag("team", "blue")];
        });

        var policies = _source.GetPolicies(new CallerIdentity(Account, user.Arn, user.UserId, PrincipalType.User))!;
        Assert.Equal(
            ["user/ann#own", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess#v1", "group/devs#group-inline", "arn:aws:iam::aws:policy/IAMFullAccess#v1"],
            policies.Identity.Select(p => p.Name));
        Assert.Equal("boundary/arn:aws:iam::aws:policy/AmazonS3FullAccess", policies.PermissionsBoundary!.Name);
        Assert.Equal(PolicyKind.PermissionsBoundary, policies.PermissionsBoundary.Kind);
        Assert.Equal([new KeyValuePair<string, string>("team", "blue")], policies.Tags);
        Assert.Empty(policies.Session);
    }

    [Fact]
    public async Task An_assumed_role_gets_the_roles_policies_and_its_session_policies_and_tags_which_override_the_roles()
    {
        var store = _iam.Store;
        await _iam.RoleAsync("app");
        await store.PutInlinePolicyAsync(PrincipalKind.Role, Account, "app", "rw", IamStoreFixture.Allow("s3:*"));
        await store.UpdateRoleAsync(Account, "app", r => r.Tags = [new IamTag("team", "red"), new IamTag("cost", "1")]);
        var identity = new CallerIdentity(Account, $"arn:aws:sts::{Account}:assumed-role/app/s1", "AROAAPP:s1", PrincipalType.AssumedRole);
        var credential = await _iam.Sessions.IssueAsync(identity, TimeSpan.FromHours(1), new RoleSession
        {
            RoleName = "app",
            Policy = IamStoreFixture.Allow("s3:GetObject"),
            PolicyArns = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
            Tags = [new("TEAM", "blue")],
        });

        var policies = _source.GetPolicies(credential.Identity)!;
        Assert.Equal(["role/app#rw"], policies.Identity.Select(p => p.Name));
        Assert.Equal(["session-policy", "session-policy/arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"], policies.Session.Select(p => p.Name));
        Assert.Equal([new("cost", "1"), new("TEAM", "blue")], policies.Tags);
        Assert.Equal($"arn:aws:iam::{Account}:role/app", policies.PrincipalArn);

        // The effective permissions are the intersection: the role allows s3:*, the session only reads.
        Assert.Equal(Decision.Allow, Evaluate(credential.Identity, policies, "s3:GetObject"));
        Assert.Equal(Decision.ImplicitDeny, Evaluate(credential.Identity, policies, "s3:PutObject"));

        // The role's ARN alone (as a simulation would name it) has the role's policies, without any session's.
        var role = _source.GetPolicies(new CallerIdentity(Account, $"arn:aws:iam::{Account}:role/app", "AROAAPP", PrincipalType.AssumedRole))!;
        Assert.Empty(role.Session);
        Assert.Equal(Decision.Allow, Evaluate(credential.Identity, role, "s3:PutObject"));
    }

    [Fact]
    public async Task A_boundary_narrows_a_role_and_a_deleted_boundary_policy_allows_nothing()
    {
        var store = _iam.Store;
        await _iam.RoleAsync("bounded");
        await store.AttachPolicyAsync(PrincipalKind.Role, Account, "bounded", "arn:aws:iam::aws:policy/AdministratorAccess");
        var boundary = await _iam.PolicyAsync("reads", IamStoreFixture.Allow("s3:Get*"));
        await store.UpdateRoleAsync(Account, "bounded", r => r.PermissionsBoundary = boundary);
        var caller = new CallerIdentity(Account, $"arn:aws:iam::{Account}:role/bounded", "AROAB", PrincipalType.AssumedRole);
        Assert.Equal(Decision.Allow, Evaluate(caller, _source.GetPolicies(caller)!, "s3:GetObject"));
        Assert.Equal(Decision.ImplicitDeny, Evaluate(caller, _source.GetPolicies(caller)!, "s3:PutObject"));
        await store.DeletePolicyAsync(boundary);
        Assert.Equal(Decision.ImplicitDeny, Evaluate(caller, _source.GetPolicies(caller)!, "s3:GetObject"));
    }

    [Fact]
    public async Task A_change_in_the_store_is_seen_at_once_despite_the_cache()
    {
        var user = await _iam.Store.CreateUserAsync(Account, "cached", "/");
        var caller = new CallerIdentity(Account, user.Arn, user.UserId, PrincipalType.User);
        Assert.Empty(_source.GetPolicies(caller)!.Identity);
        Assert.Same(_source.GetPolicies(caller), _source.GetPolicies(caller));
        await _iam.Store.PutUserPolicyAsync(Account, "cached", "p", IamStoreFixture.Allow("s3:GetObject"));
        Assert.Single(_source.GetPolicies(caller)!.Identity);
    }

    [Fact]
    public void Roots_anonymous_callers_and_unknown_users_have_no_policies()
    {
        Assert.Null(_source.GetPolicies(new CallerIdentity(Account, $"arn:aws:iam::{Account}:root", Account, PrincipalType.Account)));
        Assert.Null(_source.GetPolicies(CallerIdentity.Anonymous));
        Assert.Null(_source.GetPolicies(new CallerIdentity(Account, $"arn:aws:iam::{Account}:user/ghost", "AIDAX", PrincipalType.User)));
    }

    private static Decision Evaluate(CallerIdentity caller, PrincipalPolicies policies, string action) =>
        PolicyEvaluator.Evaluate(
            new AuthorizationContextBuilder(caller, action).Resource("arn:aws:s3:::bucket/key").Build(),
            new PolicySet { Identity = policies.Identity, PermissionsBoundary = policies.PermissionsBoundary, Session = policies.Session });

    public void Dispose() => _iam.Dispose();
}
