using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using Stratus.Compatibility.Tests.Sts;

namespace Stratus.Compatibility.Tests.Iam;

/// <summary>
/// Bad and edge-case input to the IAM and STS query APIs: each answer must be the error AWS gives (code, status and a
/// query-protocol XML body), never a 500, a hang, a stack trace or a privilege escalation.
/// </summary>
public sealed class AdversarialIamTests : IClassFixture<ServerFixture>
{
    private const string Account = "000000000000";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ServerFixture _server;

    public AdversarialIamTests(ServerFixture server) => _server = server;

    // ---------- names and paths ----------

    [Theory]
    [InlineData("")]
    [InlineData("bad!name")]
    [InlineData("bad/name")]
    [InlineData("bad*name")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 65
    public async Task CreateUser_with_an_invalid_or_too_long_name_is_ValidationError(string name)
    {
        await ExpectIamError($"Action=CreateUser&UserName={IamQuery.Enc(name)}", HttpStatusCode.BadRequest, "ValidationError");
    }

    [Fact]
    public async Task Role_names_stop_at_64_and_group_and_policy_names_at_128()
    {
        var stem = Guid.NewGuid().ToString("N");
        var role64 = (stem + new string('r', 64))[..64];
        await IamQuery.CallAsync(_server, $"Action=CreateRole&RoleName={role64}&AssumeRolePolicyDocument={IamQuery.Enc(AssumeRoleTests.TrustAccount(Account))}");
        await ExpectIamError($"Action=CreateRole&RoleName={role64}x&AssumeRolePolicyDocument={IamQuery.Enc(AssumeRoleTests.TrustAccount(Account))}", HttpStatusCode.BadRequest, "ValidationError");

        var group128 = (stem + new string('g', 128))[..128];
        await IamQuery.CallAsync(_server, $"Action=CreateGroup&GroupName={group128}");
        await ExpectIamError($"Action=CreateGroup&GroupName={group128}x", HttpStatusCode.BadRequest, "ValidationError");

        var policy129 = (stem + new string('p', 129))[..129];
        await ExpectIamError($"Action=CreatePolicy&PolicyName={policy129}&PolicyDocument={IamQuery.Enc(Allow("s3:GetObject"))}", HttpStatusCode.BadRequest, "ValidationError");
    }

    [Theory]
    [InlineData("noslash")]
    [InlineData("/no-trailing")]
    [InlineData("no-leading/")]
    [InlineData("//")]
    [InlineData("/a b/")]
    public async Task A_path_without_its_slashes_or_with_spaces_is_ValidationError(string path)
    {
        var name = "path-" + Guid.NewGuid().ToString("N")[..8];
        await ExpectIamError($"Action=CreateUser&UserName={name}&Path={IamQuery.Enc(path)}", HttpStatusCode.BadRequest, "ValidationError");
    }

    [Fact]
    public async Task A_path_over_512_characters_is_ValidationError()
    {
        var name = "path-" + Guid.NewGuid().ToString("N")[..8];
        var path = "/" + new string('a', 511) + "/"; // 513
        await ExpectIamError($"Action=CreateUser&UserName={name}&Path={path}", HttpStatusCode.BadRequest, "ValidationError");
        await IamQuery.CallAsync(_server, $"Action=CreateUser&UserName={name}&Path=/{new string('a', 510)}/");
    }

    [Fact]
    public async Task User_role_and_group_names_differing_only_in_case_are_EntityAlreadyExists()
    {
        var stem = Guid.NewGuid().ToString("N")[..8];
        await IamQuery.CallAsync(_server, $"Action=CreateUser&UserName=Alice-{stem}");
        await ExpectIamError($"Action=CreateUser&UserName=alice-{stem.ToUpperInvariant()}", HttpStatusCode.Conflict, "EntityAlreadyExists");
        await IamQuery.CallAsync(_server, $"Action=CreateRole&RoleName=Ops-{stem}&AssumeRolePolicyDocument={IamQuery.Enc(AssumeRoleTests.TrustAccount(Account))}");
        await ExpectIamError($"Action=CreateRole&RoleName=OPS-{stem}&AssumeRolePolicyDocument={IamQuery.Enc(AssumeRoleTests.TrustAccount(Account))}", HttpStatusCode.Conflict, "EntityAlreadyExists");
        await IamQuery.CallAsync(_server, $"Action=CreateGroup&GroupName=Devs-{stem}");
        await ExpectIamError($"Action=CreateGroup&GroupName=devs-{stem}", HttpStatusCode.Conflict, "EntityAlreadyExists");
    }

    // ---------- policy documents ----------

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"Version":"2012-10-17"}""")]
    [InlineData("""{"Version":"2020-01-01","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"s3:*","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"x"}}}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}""")]
    [InlineData("""["Version","2012-10-17"]""")]
    public async Task A_malformed_managed_policy_is_MalformedPolicyDocument(string document)
    {
        var name = "bad-" + Guid.NewGuid().ToString("N")[..8];
        await ExpectIamError($"Action=CreatePolicy&PolicyName={name}&PolicyDocument={IamQuery.Enc(document)}", HttpStatusCode.BadRequest, "MalformedPolicyDocument");
    }

    [Fact]
    public async Task The_legacy_2008_10_17_version_is_accepted()
    {
        var name = "legacy-" + Guid.NewGuid().ToString("N")[..8];
        var document = """{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        var created = await IamQuery.CallAsync(_server, $"Action=CreatePolicy&PolicyName={name}&PolicyDocument={IamQuery.Enc(document)}");
        Assert.StartsWith($"arn:aws:iam::{Account}:policy/", created.Value("Arn"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_managed_policy_over_6144_characters_is_LimitExceeded()
    {
        var name = "big-" + Guid.NewGuid().ToString("N")[..8];
        await IamQuery.CallAsync(_server, $"Action=CreatePolicy&PolicyName={name}&PolicyDocument={IamQuery.Enc(Sized(6144))}");
        await ExpectIamError($"Action=CreatePolicy&PolicyName={name}x&PolicyDocument={IamQuery.Enc(Sized(6145))}", HttpStatusCode.Conflict, "LimitExceeded");
    }

    [Fact]
    public async Task Inline_policy_sizes_are_2048_for_users_5120_for_groups_and_10240_for_roles()
    {
        var (user, _, _) = await IamUsers.CreateAsync(_server, null, "size");
        await IamQuery.CallAsync(_server, $"Action=PutUserPolicy&UserName={user}&PolicyName=p&PolicyDocument={IamQuery.Enc(Sized(2048))}");
        await ExpectIamError($"Action=PutUserPolicy&UserName={user}&PolicyName=q&PolicyDocument={IamQuery.Enc(Sized(200))}", HttpStatusCode.Conflict, "LimitExceeded");

        var group = "size-" + Guid.NewGuid().ToString("N")[..8];
        await IamQuery.CallAsync(_server, $"Action=CreateGroup&GroupName={group}");
        await IamQuery.CallAsync(_server, $"Action=PutGroupPolicy&GroupName={group}&PolicyName=p&PolicyDocument={IamQuery.Enc(Sized(5000))}");
        await ExpectIamError($"Action=PutGroupPolicy&GroupName={group}&PolicyName=q&PolicyDocument={IamQuery.Enc(Sized(200))}", HttpStatusCode.Conflict, "LimitExceeded");

        var role = await AssumeRoleTests.CreateRoleAsync(_server, AssumeRoleTests.TrustAccount(Account));
        await IamQuery.CallAsync(_server, $"Action=PutRolePolicy&RoleName={role}&PolicyName=p&PolicyDocument={IamQuery.Enc(Sized(10000))}");
        await ExpectIamError($"Action=PutRolePolicy&RoleName={role}&PolicyName=q&PolicyDocument={IamQuery.Enc(Sized(300))}", HttpStatusCode.Conflict, "LimitExceeded");
    }

    [Fact]
    public async Task Whitespace_does_not_count_towards_the_inline_user_policy_size()
    {
        var (user, _, _) = await IamUsers.CreateAsync(_server, null, "ws");
        var padded = Sized(2000).Replace(",", ",                    ", StringComparison.Ordinal);
        Assert.True(padded.Length > 2048);
        await IamQuery.CallAsync(_server, $"Action=PutUserPolicy&UserName={user}&PolicyName=p&PolicyDocument={IamQuery.Enc(padded)}");
    }

    [Fact]
    public async Task An_eleventh_managed_policy_on_a_user_is_LimitExceeded()
    {
        var (user, _, _) = await IamUsers.CreateAsync(_server, null, "many");
        for (var i = 0; i < 10; i++)
        {
            var arn = await AssumeRoleTests.CreatePolicyAsync(_server, Allow("s3:GetObject"));
            await IamQuery.CallAsync(_server, $"Action=AttachUserPolicy&UserName={user}&PolicyArn={arn}");
        }

        var eleventh = await AssumeRoleTests.CreatePolicyAsync(_server, Allow("s3:GetObject"));
        await ExpectIamError($"Action=AttachUserPolicy&UserName={user}&PolicyArn={eleventh}", HttpStatusCode.Conflict, "LimitExceeded");
    }

    [Fact]
    public async Task A_sixth_policy_version_is_LimitExceeded_and_the_default_version_cannot_be_deleted()
    {
        var arn = await AssumeRoleTests.CreatePolicyAsync(_server, Allow("s3:GetObject"));
        for (var i = 0; i < 4; i++)
        {
            await IamQuery.CallAsync(_server, $"Action=CreatePolicyVersion&PolicyArn={arn}&PolicyDocument={IamQuery.Enc(Allow("s3:PutObject"))}");
        }

        await ExpectIamError($"Action=CreatePolicyVersion&PolicyArn={arn}&PolicyDocument={IamQuery.Enc(Allow("s3:PutObject"))}", HttpStatusCode.Conflict, "LimitExceeded");
        await ExpectIamError($"Action=DeletePolicyVersion&PolicyArn={arn}&VersionId=v1", HttpStatusCode.Conflict, "DeleteConflict");
        await ExpectIamError($"Action=DeletePolicyVersion&PolicyArn={arn}&VersionId=v9", HttpStatusCode.NotFound, "NoSuchEntity");
        await IamQuery.CallAsync(_server, $"Action=DeletePolicyVersion&PolicyArn={arn}&VersionId=v2");
    }

    [Fact]
    public async Task A_malformed_inline_policy_leaves_nothing_behind()
    {
        var (user, _, _) = await IamUsers.CreateAsync(_server, null, "clean");
        await ExpectIamError($"Action=PutUserPolicy&UserName={user}&PolicyName=p&PolicyDocument={IamQuery.Enc("{\"Version\":")}", HttpStatusCode.BadRequest, "MalformedPolicyDocument");
        await ExpectIamError($"Action=GetUserPolicy&UserName={user}&PolicyName=p", HttpStatusCode.NotFound, "NoSuchEntity");
    }

    // ---------- deletes ----------

    [Fact]
    public async Task Deleting_a_user_with_a_group_membership_or_an_attached_policy_is_DeleteConflict()
    {
        var user = "member-" + Guid.NewGuid().ToString("N")[..8];
        var group = "grp-" + Guid.NewGuid().ToString("N")[..8];
        await IamQuery.CallAsync(_server, $"Action=CreateUser&UserName={user}");
        await IamQuery.CallAsync(_server, $"Action=CreateGroup&GroupName={group}");
        await IamQuery.CallAsync(_server, $"Action=AddUserToGroup&GroupName={group}&UserName={user}");
        await ExpectIamError($"Action=DeleteUser&UserName={user}", HttpStatusCode.Conflict, "DeleteConflict");
        await ExpectIamError($"Action=DeleteGroup&GroupName={group}", HttpStatusCode.Conflict, "DeleteConflict");
        await IamQuery.CallAsync(_server, $"Action=RemoveUserFromGroup&GroupName={group}&UserName={user}");

        var arn = await AssumeRoleTests.CreatePolicyAsync(_server, Allow("s3:GetObject"));
        await IamQuery.CallAsync(_server, $"Action=AttachUserPolicy&UserName={user}&PolicyArn={arn}");
        await ExpectIamError($"Action=DeleteUser&UserName={user}", HttpStatusCode.Conflict, "DeleteConflict");
        await ExpectIamError($"Action=DeletePolicy&PolicyArn={arn}", HttpStatusCode.Conflict, "DeleteConflict");
        await IamQuery.CallAsync(_server, $"Action=DetachUserPolicy&UserName={user}&PolicyArn={arn}");
        await IamQuery.CallAsync(_server, $"Action=DeleteUser&UserName={user}");
        await IamQuery.CallAsync(_server, $"Action=DeleteGroup&GroupName={group}");
    }

    [Fact]
    public async Task Deleting_a_role_with_an_inline_or_attached_policy_is_DeleteConflict()
    {
        var role = await AssumeRoleTests.CreateRoleAsync(_server, AssumeRoleTests.TrustAccount(Account));
        await IamQuery.CallAsync(_server, $"Action=PutRolePolicy&RoleName={role}&PolicyName=p&PolicyDocument={IamQuery.Enc(Allow("s3:GetObject"))}");
        await ExpectIamError($"Action=DeleteRole&RoleName={role}", HttpStatusCode.Conflict, "DeleteConflict");
        await IamQuery.CallAsync(_server, $"Action=DeleteRolePolicy&RoleName={role}&PolicyName=p");
        await IamQuery.CallAsync(_server, $"Action=AttachRolePolicy&RoleName={role}&PolicyArn=arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        await ExpectIamError($"Action=DeleteRole&RoleName={role}", HttpStatusCode.Conflict, "DeleteConflict");
        await IamQuery.CallAsync(_server, $"Action=DetachRolePolicy&RoleName={role}&PolicyArn=arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        await IamQuery.CallAsync(_server, $"Action=DeleteRole&RoleName={role}");
    }

    [Theory]
    [InlineData("Action=DeleteUser&UserName=ghost-user-404")]
    [InlineData("Action=DeleteRole&RoleName=ghost-role-404")]
    [InlineData("Action=DeleteGroup&GroupName=ghost-group-404")]
    [InlineData("Action=DeletePolicy&PolicyArn=arn:aws:iam::000000000000:policy/ghost-policy-404")]
    [InlineData("Action=DeleteUserPolicy&UserName=ghost-user-404&PolicyName=p")]
    [InlineData("Action=DeleteAccessKey&UserName=ghost-user-404&AccessKeyId=AKIAGHOSTGHOSTGHOST1")]
    [InlineData("Action=DetachUserPolicy&UserName=ghost-user-404&PolicyArn=arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")]
    public async Task Deleting_what_does_not_exist_is_NoSuchEntity(string form)
    {
        await ExpectIamError(form, HttpStatusCode.NotFound, "NoSuchEntity");
    }

    [Fact]
    public async Task A_third_access_key_is_LimitExceeded()
    {
        var (user, _, _) = await IamUsers.CreateAsync(_server, null, "keys");
        await IamQuery.CallAsync(_server, $"Action=CreateAccessKey&UserName={user}");
        await ExpectIamError($"Action=CreateAccessKey&UserName={user}", HttpStatusCode.Conflict, "LimitExceeded");
        var keys = await IamQuery.CallAsync(_server, $"Action=ListAccessKeys&UserName={user}");
        Assert.Equal(2, keys.Values("AccessKeyId").Count);
    }

    // ---------- STS ----------

    [Theory]
    [InlineData("899")]
    [InlineData("3601")]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task AssumeRole_with_a_duration_below_900_or_above_the_roles_maximum_is_ValidationError(string seconds)
    {
        var role = await AssumeRoleTests.CreateRoleAsync(_server, AssumeRoleTests.TrustAccount(Account));
        await ExpectStsError($"Action=AssumeRole&RoleArn=arn:aws:iam::{Account}:role/{role}&RoleSessionName=s1&DurationSeconds={seconds}", HttpStatusCode.BadRequest, "ValidationError");
    }

    [Fact]
    public async Task AssumeRole_with_a_non_numeric_duration_is_a_400_not_a_500()
    {
        var role = await AssumeRoleTests.CreateRoleAsync(_server, AssumeRoleTests.TrustAccount(Account));
        var (status, code, _) = await StsErrorAsync($"Action=AssumeRole&RoleArn=arn:aws:iam::{Account}:role/{role}&RoleSessionName=s1&DurationSeconds=abc");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(code, new[] { "ValidationError", "MalformedQueryString", "InvalidParameterValue" });
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("bad/name")]
    [InlineData("x")]
    [InlineData("sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss")] // 65
    public async Task AssumeRole_with_an_invalid_session_name_is_ValidationError(string session)
    {
        var role = await AssumeRoleTests.CreateRoleAsync(_server, AssumeRoleTests.TrustAccount(Account));
        await ExpectStsError($"Action=AssumeRole&RoleArn=arn:aws:iam::{Account}:role/{role}&RoleSessionName={IamQuery.Enc(session)}", HttpStatusCode.BadRequest, "ValidationError");
    }

    [Fact]
    public async Task AssumeRole_into_another_account_that_does_not_trust_the_caller_is_AccessDenied()
    {
        var name = "xacct-" + Guid.NewGuid().ToString("N")[..8];
        await IamQuery.CallAsync(_server, $"Action=CreateRole&RoleName={name}&AssumeRolePolicyDocument={IamQuery.Enc(AssumeRoleTests.TrustAccount(ServerFixture.SecondAccountId))}", ServerFixture.SecondAccessKeyId, ServerFixture.SecondSecretAccessKey);
        await ExpectStsError($"Action=AssumeRole&RoleArn=arn:aws:iam::{ServerFixture.SecondAccountId}:role/{name}&RoleSessionName=s1", HttpStatusCode.Forbidden, "AccessDenied");
        await ExpectStsError($"Action=AssumeRole&RoleArn=arn:aws:iam::{ServerFixture.SecondAccountId}:role/no-such-role&RoleSessionName=s1", HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task AssumeRole_when_the_trust_policy_names_only_a_service_is_AccessDenied()
    {
        var role = await AssumeRoleTests.CreateRoleAsync(_server, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        await ExpectStsError($"Action=AssumeRole&RoleArn=arn:aws:iam::{Account}:role/{role}&RoleSessionName=s1", HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task A_session_policy_over_2048_characters_is_refused_and_a_malformed_one_is_MalformedPolicyDocument()
    {
        var role = await AssumeRoleTests.CreateRoleAsync(_server, AssumeRoleTests.TrustAccount(Account));
        var (status, code, _) = await StsErrorAsync($"Action=AssumeRole&RoleArn=arn:aws:iam::{Account}:role/{role}&RoleSessionName=s1&Policy={IamQuery.Enc(Sized(2100))}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(code, new[] { "ValidationError", "PackedPolicyTooLarge" });
        await ExpectStsError($"Action=AssumeRole&RoleArn=arn:aws:iam::{Account}:role/{role}&RoleSessionName=s2&Policy={IamQuery.Enc("{\"Statement\":")}", HttpStatusCode.BadRequest, "MalformedPolicyDocument");
    }

    [Fact]
    public async Task Temporary_credentials_without_their_session_token_are_InvalidClientTokenId()
    {
        var role = await AssumeRoleTests.CreateRoleAsync(_server, AssumeRoleTests.TrustAccount(Account));
        var assumed = await StsCallAsync($"Action=AssumeRole&RoleArn=arn:aws:iam::{Account}:role/{role}&RoleSessionName=notoken");
        var key = Local(assumed, "AccessKeyId");
        var secret = Local(assumed, "SecretAccessKey");
        var (status, body) = await SendAsync("sts", "POST", "Action=GetCallerIdentity&Version=2011-06-15", key, secret);
        AssertError(status, body, HttpStatusCode.Forbidden, "InvalidClientTokenId");
        (status, body) = await SendAsync("iam", "POST", "Action=ListUsers&Version=2010-05-08", key, secret);
        AssertError(status, body, HttpStatusCode.Forbidden, "InvalidClientTokenId");
    }

    [Fact]
    public async Task Expired_session_credentials_calling_IAM_are_ExpiredToken()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ServerFixture { Time = clock };
        await server.InitializeAsync();
        using var request = SignedHttp.Build(server, "POST", "/", "sts", "Action=GetSessionToken&DurationSeconds=900&Version=2011-06-15"u8.ToArray(), "application/x-www-form-urlencoded", clock: clock);
        using var response = await Http.SendAsync(request);
        var session = XDocument.Parse(await response.Content.ReadAsStringAsync());
        clock.Advance(TimeSpan.FromMinutes(16));
        using var late = SignedHttp.Build(server, "POST", "/", "iam", "Action=ListUsers&Version=2010-05-08"u8.ToArray(), "application/x-www-form-urlencoded", accessKey: Local(session, "AccessKeyId"), secret: Local(session, "SecretAccessKey"), sessionToken: Local(session, "SessionToken"), clock: clock);
        using var answer = await Http.SendAsync(late);
        AssertError(answer.StatusCode, await answer.Content.ReadAsStringAsync(), HttpStatusCode.Forbidden, "ExpiredToken");
    }

    [Fact]
    public async Task GetCallerIdentity_with_an_inactive_key_is_InvalidClientTokenId()
    {
        var (user, key, secret) = await IamUsers.CreateAsync(_server, null, "inactive");
        await IamQuery.CallAsync(_server, $"Action=UpdateAccessKey&UserName={user}&AccessKeyId={key}&Status=Inactive");
        var (status, body) = await SendAsync("sts", "POST", "Action=GetCallerIdentity&Version=2011-06-15", key, secret);
        AssertError(status, body, HttpStatusCode.Forbidden, "InvalidClientTokenId");
    }

    // ---------- privilege checks ----------

    [Fact]
    public async Task A_user_without_policies_cannot_create_users_attach_admin_to_itself_or_make_keys_for_others()
    {
        var (user, key, secret) = await IamUsers.CreateAsync(_server, null, "nobody");
        var (victim, _, _) = await IamUsers.CreateAsync(_server, null, "victim");
        await ExpectIamError($"Action=CreateUser&UserName=made-by-{user}", HttpStatusCode.Forbidden, "AccessDenied", key, secret);
        await ExpectIamError($"Action=AttachUserPolicy&UserName={user}&PolicyArn=arn:aws:iam::aws:policy/AdministratorAccess", HttpStatusCode.Forbidden, "AccessDenied", key, secret);
        await ExpectIamError($"Action=PutUserPolicy&UserName={user}&PolicyName=admin&PolicyDocument={IamQuery.Enc(Allow("*"))}", HttpStatusCode.Forbidden, "AccessDenied", key, secret);
        await ExpectIamError($"Action=CreateAccessKey&UserName={victim}", HttpStatusCode.Forbidden, "AccessDenied", key, secret);
        Assert.Single((await IamQuery.CallAsync(_server, $"Action=ListAccessKeys&UserName={victim}")).Values("AccessKeyId"));
        Assert.Empty((await IamQuery.CallAsync(_server, $"Action=ListAttachedUserPolicies&UserName={user}")).Values("PolicyArn"));
        await ExpectIamError($"Action=GetUser&UserName=made-by-{user}", HttpStatusCode.NotFound, "NoSuchEntity");
    }

    [Fact]
    public async Task An_explicit_deny_beats_iam_star()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},{"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}""";
        var (_, key, secret) = await IamUsers.CreateAsync(_server, policy, "denied");
        var target = "target-" + Guid.NewGuid().ToString("N")[..8];
        await IamQuery.CallAsync(_server, $"Action=CreateUser&UserName={target}", key, secret);
        await ExpectIamError($"Action=DeleteUser&UserName={target}", HttpStatusCode.Forbidden, "AccessDenied", key, secret);
        await IamQuery.CallAsync(_server, $"Action=GetUser&UserName={target}");
    }

    [Fact]
    public async Task A_permissions_boundary_limits_an_allowed_action_and_cannot_be_removed_by_its_user()
    {
        var (user, key, secret) = await IamUsers.CreateAsync(_server, Allow("iam:*"), "bounded");
        var boundary = await AssumeRoleTests.CreatePolicyAsync(_server, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}""");
        await IamQuery.CallAsync(_server, $"Action=PutUserPermissionsBoundary&UserName={user}&PermissionsBoundary={boundary}");
        await IamQuery.CallAsync(_server, $"Action=GetUser&UserName={user}", key, secret);
        await ExpectIamError($"Action=CreateUser&UserName=b-{user}", HttpStatusCode.Forbidden, "AccessDenied", key, secret);
        await ExpectIamError($"Action=DeleteUserPermissionsBoundary&UserName={user}", HttpStatusCode.Forbidden, "AccessDenied", key, secret);
    }

    // ---------- protocol ----------

    [Fact]
    public async Task An_unknown_action_is_InvalidAction()
    {
        var (status, body) = await SendAsync("iam", "POST", "Action=CreateUnicorn&Version=2010-05-08");
        AssertError(status, body, HttpStatusCode.BadRequest, "InvalidAction");
    }

    [Theory]
    [InlineData("Action=CreateUser")]
    [InlineData("Action=CreateRole&RoleName=no-trust-doc")]
    [InlineData("Action=PutUserPolicy&UserName=x&PolicyName=p")]
    [InlineData("Action=AttachUserPolicy&UserName=x")]
    public async Task A_missing_required_parameter_is_a_400_validation_error(string form)
    {
        var (status, body) = await SendAsync("iam", "POST", form + "&Version=2010-05-08");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var code = Local(XDocument.Parse(body), "Code");
        Assert.Contains(code, new[] { "ValidationError", "MissingParameter" });
    }

    [Fact]
    public async Task A_version_other_than_2010_05_08_is_refused_with_a_400()
    {
        var (status, body) = await SendAsync("iam", "POST", "Action=ListUsers&Version=2099-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(Local(XDocument.Parse(body), "Code"), new[] { "InvalidAction", "NoSuchVersion" });
    }

    [Fact]
    public async Task A_GET_with_the_query_in_the_url_works_like_a_POST()
    {
        using var request = SignedHttp.Build(_server, "GET", "/?Action=ListUsers&Version=2010-05-08", "iam", [], null);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ListUsersResponse", XDocument.Parse(body).Root!.Name.LocalName);
    }

    [Fact]
    public async Task A_JSON_body_is_a_4xx_XML_error_not_a_500()
    {
        using var request = SignedHttp.Build(_server, "POST", "/", "iam", """{"Action":"ListUsers","Version":"2010-05-08"}"""u8.ToArray(), "application/json");
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} {body}");
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.Equal("ErrorResponse", XDocument.Parse(body).Root!.Name.LocalName);
    }

    [Fact]
    public async Task Binary_garbage_in_a_form_body_is_a_4xx_not_a_500()
    {
        var garbage = new byte[] { 0x41, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x3d, 0xff, 0xfe, 0x25, 0x5a, 0x5a, 0x26, 0x00, 0x25 };
        using var request = SignedHttp.Build(_server, "POST", "/", "iam", garbage, "application/x-www-form-urlencoded");
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} {body}");
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    // ---------- helpers ----------

    private static string Allow(string action) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"*"}]}""";

    /// <summary>A valid identity policy of exactly <paramref name="length"/> characters, none of them whitespace.</summary>
    private static string Sized(int length)
    {
        const string head = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::""";
        const string tail = "\"}]}";
        return head + new string('a', length - head.Length - tail.Length) + tail;
    }

    private static string Local(XDocument document, string name) =>
        document.Descendants().First(e => e.Name.LocalName == name).Value;

    private async Task ExpectIamError(string form, HttpStatusCode status, string code, string accessKey = "test", string secret = "test")
    {
        var (actualStatus, body) = await SendAsync("iam", "POST", form + "&Version=2010-05-08", accessKey, secret);
        AssertError(actualStatus, body, status, code);
    }

    private async Task ExpectStsError(string form, HttpStatusCode status, string code)
    {
        var (actualStatus, body) = await SendAsync("sts", "POST", form + "&Version=2011-06-15");
        AssertError(actualStatus, body, status, code);
    }

    private async Task<(HttpStatusCode Status, string Code, string Message)> StsErrorAsync(string form)
    {
        var (status, body) = await SendAsync("sts", "POST", form + "&Version=2011-06-15");
        Assert.True(status >= HttpStatusCode.BadRequest, $"{form}: {(int)status} {body}");
        var xml = XDocument.Parse(body);
        return (status, Local(xml, "Code"), Local(xml, "Message"));
    }

    private async Task<XDocument> StsCallAsync(string form)
    {
        var (status, body) = await SendAsync("sts", "POST", form + "&Version=2011-06-15");
        Assert.True(status == HttpStatusCode.OK, $"{form}: {(int)status} {body}");
        return XDocument.Parse(body);
    }

    private static void AssertError(HttpStatusCode actualStatus, string body, HttpStatusCode status, string code)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        var xml = XDocument.Parse(body);
        Assert.Equal("ErrorResponse", xml.Root!.Name.LocalName);
        Assert.Equal((status, code), (actualStatus, Local(xml, "Code")));
        Assert.Equal("Sender", Local(xml, "Type"));
        Assert.False(string.IsNullOrWhiteSpace(Local(xml, "Message")), body);
        Assert.False(string.IsNullOrWhiteSpace(Local(xml, "RequestId")), body);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string service, string method, string form, string accessKey = "test", string secret = "test")
    {
        using var request = SignedHttp.Build(_server, method, "/", service, Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded; charset=utf-8", accessKey: accessKey, secret: secret);
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
