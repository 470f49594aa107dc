using Stratus.Core;
using Stratus.Iam.Users;

namespace Stratus.Iam.Tests.Users;

public sealed class IamStoreTests : IDisposable
{
    private const string Account = IamStoreFixture.Account;
    private readonly IamStoreFixture _iam = new();

    private IamStore Store => _iam.Store;

    [Fact]
    public async Task A_role_name_is_unique_and_its_arn_carries_its_path()
    {
        var role = new RoleRecord { Account = Account, RoleName = "app", RoleId = "AROA1", Path = "/svc/", AssumeRolePolicyDocument = IamStoreFixture.Trust };
        await Store.CreateRoleAsync(role);
        Assert.Equal("arn:aws:iam::000000000000:role/svc/app", Store.RequireRole(Account, "app").Arn);
        var twice = await Assert.ThrowsAsync<AwsException>(() => Store.CreateRoleAsync(role));
        Assert.Equal(("EntityAlreadyExists", 409), (twice.Code, twice.StatusCode));
        Assert.Equal("NoSuchEntity", Assert.Throws<AwsException>(() => Store.RequireRole(Account, "other")).Code);
        Assert.Single(Store.Roles(Account, "/svc/"));
        Assert.Empty(Store.Roles(Account, "/other/"));
    }

    [Fact]
    public async Task A_role_cannot_be_deleted_while_it_has_policies_or_sits_in_an_instance_profile()
    {
        await _iam.RoleAsync("busy");
        await Store.PutInlinePolicyAsync(PrincipalKind.Role, Account, "busy", "p", IamStoreFixture.Allow("s3:GetObject"));
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsException>(() => Store.DeleteRoleAsync(Account, "busy"))).Code);
        await Store.DeleteInlinePolicyAsync(PrincipalKind.Role, Account, "busy", "p");

        await Store.AttachPolicyAsync(PrincipalKind.Role, Account, "busy", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsException>(() => Store.DeleteRoleAsync(Account, "busy"))).Code);
        await Store.DetachPolicyAsync(PrincipalKind.Role, Account, "busy", "arn:aws:iam::aws:policy/ReadOnlyAccess");

        await Store.CreateInstanceProfileAsync(Account, "web", "/", []);
        await Store.AddRoleToInstanceProfileAsync(Account, "web", "busy");
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsException>(() => Store.DeleteRoleAsync(Account, "busy"))).Code);
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsException>(() => Store.DeleteInstanceProfileAsync(Account, "web"))).Code);
        await Store.RemoveRoleFromInstanceProfileAsync(Account, "web", "busy");
        await Store.DeleteRoleAsync(Account, "busy");
        Assert.Null(Store.FindRole(Account, "busy"));
    }

    [Fact]
    public async Task An_instance_profile_holds_one_role_at_most()
    {
        await _iam.RoleAsync("one");
        await _iam.RoleAsync("two");
        await Store.CreateInstanceProfileAsync(Account, "ip", "/", []);
        await Store.AddRoleToInstanceProfileAsync(Account, "ip", "one");
        var full = await Assert.ThrowsAsync<AwsException>(() => Store.AddRoleToInstanceProfileAsync(Account, "ip", "two"));
        Assert.Equal(("LimitExceeded", 409), (full.Code, full.StatusCode));
        Assert.Equal("ip", Assert.Single(Store.InstanceProfilesForRole(Account, "one")).InstanceProfileName);
        Assert.Empty(Store.InstanceProfilesForRole(Account, "two"));
        Assert.Equal("NoSuchEntity", (await Assert.ThrowsAsync<AwsException>(() => Store.RemoveRoleFromInstanceProfileAsync(Account, "ip", "two"))).Code);
    }

    [Fact]
    public async Task A_principal_takes_ten_managed_policies_at_most()
    {
        await _iam.RoleAsync("many");
        for (var i = 0; i < IamStore.MaxAttachedPolicies; i++)
        {
            await Store.AttachPolicyAsync(PrincipalKind.Role, Account, "many", await _iam.PolicyAsync("p" + i, IamStoreFixture.Allow("s3:GetObject")));
        }

        var eleventh = await Assert.ThrowsAsync<AwsException>(() => Store.AttachPolicyAsync(PrincipalKind.Role, Account, "many", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        Assert.Equal("LimitExceeded", eleventh.Code);
        Assert.Contains("PoliciesPerRole: 10", eleventh.Message, StringComparison.Ordinal);
        Assert.Equal(IamStore.MaxAttachedPolicies, Store.AttachedPolicies(Account, PrincipalKind.Role, "many").Count);
        // Attaching one already attached changes nothing and is not refused.
        await Store.AttachPolicyAsync(PrincipalKind.Role, Account, "many", "arn:aws:iam::000000000000:policy/p0");
        Assert.Equal(1, Store.AttachmentCount("arn:aws:iam::000000000000:policy/p0", Account));
    }

    [Fact]
    public async Task A_policy_cannot_be_deleted_while_attached_or_with_other_versions()
    {
        var arn = await _iam.PolicyAsync("shared", IamStoreFixture.Allow("s3:GetObject"));
        await _iam.RoleAsync("holder");
        await Store.AttachPolicyAsync(PrincipalKind.Role, Account, "holder", arn);
        Assert.Equal([(PrincipalKind.Role, "holder")], Store.EntitiesForPolicy(arn, Account));
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsException>(() => Store.DeletePolicyAsync(arn))).Code);
        await Store.DetachPolicyAsync(PrincipalKind.Role, Account, "holder", arn);
        Assert.Equal("NoSuchEntity", (await Assert.ThrowsAsync<AwsException>(() => Store.DetachPolicyAsync(PrincipalKind.Role, Account, "holder", arn))).Code);

        await Store.UpdatePolicyAsync(arn, p => p.Versions.Add(new PolicyVersionRecord { VersionId = "v2", Document = IamStoreFixture.Allow("s3:*") }));
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsException>(() => Store.DeletePolicyAsync(arn))).Code);
        await Store.UpdatePolicyAsync(arn, p => p.Versions.RemoveAll(v => v.VersionId == "v2"));
        await Store.DeletePolicyAsync(arn);
        Assert.Null(Store.FindPolicy(arn));
    }

    [Fact]
    public async Task Aws_managed_policies_are_found_by_arn_and_cannot_be_changed()
    {
        var admin = Store.RequirePolicy("arn:aws:iam::aws:policy/AdministratorAccess");
        Assert.True(admin.IsAwsManaged);
        Assert.Null(Store.FindPolicy("arn:aws:iam::aws:policy/NoSuchPolicy"));
        Assert.Null(Store.FindPolicy("arn:aws:iam::aws:policy/team/AdministratorAccess")); // wrong path
        Assert.Equal("InvalidInput", (await Assert.ThrowsAsync<AwsException>(() => Store.DeletePolicyAsync(admin.Arn))).Code);
        Assert.Equal("InvalidInput", (await Assert.ThrowsAsync<AwsException>(() => Store.UpdatePolicyAsync(admin.Arn, _ => { }))).Code);
        foreach (var policy in AwsManagedPolicies.All)
        {
            Stratus.Iam.Policies.PolicyDocument.Parse(policy.DefaultVersion.Document, Stratus.Iam.Policies.PolicyKind.Identity); // every one is a valid policy
        }
    }

    [Fact]
    public async Task Groups_hold_members_and_refuse_deletion_until_empty()
    {
        await Store.CreateUserAsync(Account, "ann", "/");
        await Store.CreateGroupAsync(Account, "devs", "/");
        await Store.AddUserToGroupAsync(Account, "devs", "ann");
        await Store.AddUserToGroupAsync(Account, "devs", "ann"); // again: no change
        Assert.Equal(["ann"], Store.GroupMembers(Account, "devs"));
        Assert.Equal(["devs"], Store.GroupsForUser(Account, "ann"));
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsException>(() => Store.DeleteGroupAsync(Account, "devs"))).Code);
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsException>(() => Store.DeleteUserAsync(Account, "ann"))).Code);
        await Store.RemoveUserFromGroupAsync(Account, "devs", "ann");
        Assert.Equal("NoSuchEntity", (await Assert.ThrowsAsync<AwsException>(() => Store.RemoveUserFromGroupAsync(Account, "devs", "ann"))).Code);
        await Store.DeleteGroupAsync(Account, "devs");
        await Store.DeleteUserAsync(Account, "ann");
        Assert.Equal("EntityAlreadyExists", (await Assert.ThrowsAsync<AwsException>(async () =>
        {
            await Store.CreateGroupAsync(Account, "again", "/");
            await Store.CreateGroupAsync(Account, "again", "/");
        })).Code);
    }

    [Fact]
    public async Task A_user_joins_ten_groups_at_most_and_cannot_be_deleted_with_attached_policies()
    {
        await Store.CreateUserAsync(Account, "joiner", "/");
        for (var i = 0; i < 10; i++)
        {
            await Store.CreateGroupAsync(Account, "g" + i, "/");
            await Store.AddUserToGroupAsync(Account, "g" + i, "joiner");
        }

        await Store.CreateGroupAsync(Account, "g10", "/");
        Assert.Equal("LimitExceeded", (await Assert.ThrowsAsync<AwsException>(() => Store.AddUserToGroupAsync(Account, "g10", "joiner"))).Code);

        await Store.CreateUserAsync(Account, "attached", "/");
        await Store.AttachPolicyAsync(PrincipalKind.User, Account, "attached", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        var conflict = await Assert.ThrowsAsync<AwsException>(() => Store.DeleteUserAsync(Account, "attached"));
        Assert.Contains("detach all policies", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_merge_case_insensitively_and_stop_at_fifty()
    {
        var tags = new List<IamTag> { new("Team", "a") };
        IamStore.MergeTags(tags, [new IamTag("team", "b"), new IamTag("env", "x")]);
        Assert.Equal([new IamTag("team", "b"), new IamTag("env", "x")], tags);
        IamStore.RemoveTags(tags, ["TEAM"]);
        Assert.Equal([new IamTag("env", "x")], tags);
        var many = Enumerable.Range(0, 50).Select(i => new IamTag("k" + i, "v")).ToList();
        Assert.Equal("LimitExceeded", Assert.Throws<AwsException>(() => IamStore.MergeTags(tags, many)).Code);
    }

    [Fact]
    public async Task Every_write_moves_the_generation()
    {
        var before = Store.Generation;
        await _iam.RoleAsync("gen");
        var afterCreate = Store.Generation;
        Assert.True(afterCreate > before);
        await Store.UpdateRoleAsync(Account, "gen", r => r.Description = "x");
        Assert.True(Store.Generation > afterCreate);
    }

    [Fact]
    public async Task Renaming_a_user_moves_its_keys_policies_attachments_and_groups()
    {
        await Store.CreateUserAsync(Account, "old", "/");
        var key = await Store.CreateAccessKeyAsync(Account, "old");
        await Store.PutUserPolicyAsync(Account, "old", "p", IamStoreFixture.Allow("s3:GetObject"));
        await Store.AttachPolicyAsync(PrincipalKind.User, Account, "old", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        await Store.CreateGroupAsync(Account, "team", "/");
        await Store.AddUserToGroupAsync(Account, "team", "old");
        await Store.CreateUserAsync(Account, "taken", "/");
        Assert.Equal("EntityAlreadyExists", (await Assert.ThrowsAsync<AwsException>(() => Store.UpdateUserNameAsync(Account, "old", "taken", null))).Code);

        var moved = await Store.UpdateUserNameAsync(Account, "old", "new", "/moved/");
        Assert.Equal("arn:aws:iam::000000000000:user/moved/new", moved.Arn);
        Assert.Null(Store.FindUser(Account, "old"));
        Assert.Equal("new", Store.FindAccessKey(key.AccessKeyId)!.UserName);
        Assert.Equal([key.AccessKeyId], Store.AccessKeys(Account, "new").ConvertAll(k => k.AccessKeyId));
        Assert.Equal(["p"], Store.PolicyNames(Account, "new"));
        Assert.Equal(["arn:aws:iam::aws:policy/ReadOnlyAccess"], Store.AttachedPolicies(Account, PrincipalKind.User, "new"));
        Assert.Equal([(PrincipalKind.User, "new")], Store.EntitiesForPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess", Account));
        Assert.Equal(["new"], Store.GroupMembers(Account, "team"));
        Assert.Empty(Store.GroupsForUser(Account, "old"));
    }

    [Fact]
    public async Task Key_use_is_kept_in_memory_and_written_at_most_once_a_minute()
    {
        await Store.CreateUserAsync(Account, "user", "/");
        var key = await Store.CreateAccessKeyAsync(Account, "user");
        Assert.Null(Store.LastUse(key.AccessKeyId));
        var start = _iam.Clock.GetUtcNow();
        Store.RecordAccessKeyUse(key.AccessKeyId, "s3", "us-east-1", start);
        Store.RecordAccessKeyUse(key.AccessKeyId, "sqs", "eu-west-1", start.AddSeconds(10));
        var use = Store.LastUse(key.AccessKeyId)!;
        Assert.Equal(("sqs", "eu-west-1", start.AddSeconds(10).ToUnixTimeMilliseconds()), (use.Service, use.Region, use.At));
        Assert.Equal(start.ToUnixTimeMilliseconds(), use.PersistedAt); // the second use wrote nothing
        Store.RecordAccessKeyUse(key.AccessKeyId, "iam", "us-east-1", start.AddMinutes(2));
        Assert.Equal(start.AddMinutes(2).ToUnixTimeMilliseconds(), Store.LastUse(key.AccessKeyId)!.PersistedAt);
    }

    [Fact]
    public async Task Names_are_unique_regardless_of_case()
    {
        await Store.CreateUserAsync(Account, "Bob", "/");
        Assert.Equal("EntityAlreadyExists", (await Assert.ThrowsAsync<AwsException>(() => Store.CreateUserAsync(Account, "bob", "/"))).Code);
        await _iam.RoleAsync("Deployer");
        Assert.Equal("EntityAlreadyExists", (await Assert.ThrowsAsync<AwsException>(() => _iam.RoleAsync("DEPLOYER"))).Code);
        await Store.CreateGroupAsync(Account, "Admins", "/");
        Assert.Equal("EntityAlreadyExists", (await Assert.ThrowsAsync<AwsException>(() => Store.CreateGroupAsync(Account, "admins", "/"))).Code);
        await _iam.PolicyAsync("ReadAll", IamStoreFixture.Allow("s3:GetObject"));
        Assert.Equal("EntityAlreadyExists", (await Assert.ThrowsAsync<AwsException>(() => _iam.PolicyAsync("readall", IamStoreFixture.Allow("s3:GetObject")))).Code);
        await Store.CreateUserAsync(Account, "carol", "/");
        Assert.Equal("EntityAlreadyExists", (await Assert.ThrowsAsync<AwsException>(() => Store.UpdateUserNameAsync(Account, "carol", "BOB", null))).Code);
        await Store.UpdateUserNameAsync(Account, "Bob", "BOB", null); // a change of case of one's own name is allowed
        Assert.NotNull(Store.FindUser(Account, "BOB"));
    }

    public void Dispose() => _iam.Dispose();
}
