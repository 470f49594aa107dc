using System.Xml;
using Stratus.Iam.Users;

namespace Stratus.Iam.Api;

/// <summary>GetAccountAuthorizationDetails: every user, group, role and managed policy of the account with their policies.</summary>
public sealed partial class IamService
{
    private static readonly string[] EntityFilters = ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"];

    private void RegisterAccountDetails()
    {
        RegisterOn("GetAccountAuthorizationDetails", "iam:GetAccountAuthorizationDetails", static (_, _) => "*", (input, context) =>
        {
            var filters = input.Parameters.GetList("Filter.member");
            foreach (var filter in filters)
            {
                if (Array.IndexOf(EntityFilters, filter) < 0)
                {
                    throw IamErrors.Validation($"1 validation error detected: Value '[{filter}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]");
                }
            }

            bool Wants(string kind) => filters.Count == 0 || filters.Contains(kind);
            var account = context.Account;
            var users = Wants("User") ? _store.Users(account, "/") : [];
            var groups = Wants("Group") ? _store.Groups(account, "/") : [];
            var roles = Wants("Role") ? _store.Roles(account, "/") : [];
            var policies = new List<ManagedPolicyRecord>();
            if (Wants("LocalManagedPolicy"))
            {
                policies.AddRange(_store.LocalPolicies(account));
            }

            if (Wants("AWSManagedPolicy"))
            {
                policies.AddRange(AwsManagedPolicies.All.Where(p => Usage(p, account) is { } u && u.Attachments + u.Boundaries > 0));
            }

            // Everything is read now, so that writing the answer touches no store.
            var userRows = users.ConvertAll(u => (User: u, Inline: _store.InlinePolicies(PrincipalKind.User, account, u.UserName), Groups: _store.GroupsForUser(account, u.UserName), Attached: Attached(PrincipalKind.User, account, u.UserName)));
            var groupRows = groups.ConvertAll(g => (Group: g, Inline: _store.InlinePolicies(PrincipalKind.Group, account, g.GroupName), Attached: Attached(PrincipalKind.Group, account, g.GroupName)));
            var roleRows = roles.ConvertAll(r => (Role: r, Inline: _store.InlinePolicies(PrincipalKind.Role, account, r.RoleName), Attached: Attached(PrincipalKind.Role, account, r.RoleName), Profiles: _store.InstanceProfilesForRole(account, r.RoleName).ConvertAll(p => (Profile: p, Roles: RolesOf(p)))));
            var policyRows = policies.ConvertAll(p => (Policy: p, Usage: Usage(p, account)));
            var (page, next) = Page([.. Enumerable.Range(0, userRows.Count + groupRows.Count + roleRows.Count + policyRows.Count).Select(i => i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture))], static k => k, input);
            var first = page.Count == 0 ? int.MaxValue : int.Parse(page[0], System.Globalization.CultureInfo.InvariantCulture);
            var last = page.Count == 0 ? -1 : int.Parse(page[^1], System.Globalization.CultureInfo.InvariantCulture);
            bool InPage(int index) => index >= first && index <= last;
            return Task.FromResult(new QueryResult(w =>
            {
                var index = 0;
                w.WriteStartElement("UserDetailList");
                foreach (var row in userRows)
                {
                    if (InPage(index++))
                    {
                        w.WriteStartElement("member");
                        WriteUserFields(w, row.User);
                        WriteInlineList(w, "UserPolicyList", row.Inline);
                        WriteNames(w, "GroupList", row.Groups);
                        WriteAttached(w, row.Attached);
                        WriteBoundary(w, row.User.PermissionsBoundary);
                        WriteTags(w, row.User.Tags);
                        w.WriteEndElement();
                    }
                }

                w.WriteEndElement();
                w.WriteStartElement("GroupDetailList");
                foreach (var row in groupRows)
                {
                    if (InPage(index++))
                    {
                        w.WriteStartElement("member");
                        WriteGroupFields(w, row.Group);
                        WriteInlineList(w, "GroupPolicyList", row.Inline);
                        WriteAttached(w, row.Attached);
                        w.WriteEndElement();
                    }
                }

                w.WriteEndElement();
                w.WriteStartElement("RoleDetailList");
                foreach (var row in roleRows)
                {
                    if (InPage(index++))
                    {
                        w.WriteStartElement("member");
                        w.WriteElementString("Path", row.Role.Path);
                        w.WriteElementString("RoleName", row.Role.RoleName);
                        w.WriteElementString("RoleId", row.Role.RoleId);
                        w.WriteElementString("Arn", row.Role.Arn);
                        w.WriteElementString("CreateDate", Timestamp(row.Role.Created));
                        w.WriteElementString("AssumeRolePolicyDocument", Encoded(row.Role.AssumeRolePolicyDocument));
                        WriteList(w, "InstanceProfileList", row.Profiles, static (w, p) => WriteInstanceProfileFields(w, p.Profile, p.Roles));
                        WriteInlineList(w, "RolePolicyList", row.Inline);
                        WriteAttached(w, row.Attached);
                        WriteBoundary(w, row.Role.PermissionsBoundary);
                        WriteTags(w, row.Role.Tags);
                        w.WriteStartElement("RoleLastUsed");
                        if (row.Role.LastUsed is { } used)
                        {
                            w.WriteElementString("LastUsedDate", Timestamp(used));
                            w.WriteElementString("Region", row.Role.LastUsedRegion);
                        }

                        w.WriteEndElement();
                        w.WriteEndElement();
                    }
                }

                w.WriteEndElement();
                w.WriteStartElement("Policies");
                foreach (var row in policyRows)
                {
                    if (InPage(index++))
                    {
                        w.WriteStartElement("member");
                        WritePolicyFields(w, row.Policy, row.Usage.Attachments, row.Usage.Boundaries, withTags: false);
                        WriteList(w, "PolicyVersionList", row.Policy.Versions, (w, v) => WriteVersionFields(w, v, v.VersionId == row.Policy.DefaultVersionId, withDocument: true));
                        w.WriteEndElement();
                    }
                }

                w.WriteEndElement();
                WriteTruncation(w, next);
            }));
        });
    }

    private List<ManagedPolicyRecord> Attached(PrincipalKind kind, string account, string owner)
    {
        var attached = new List<ManagedPolicyRecord>();
        foreach (var arn in _store.AttachedPolicies(account, kind, owner))
        {
            if (_store.FindPolicy(arn) is { } policy)
            {
                attached.Add(policy);
            }
        }

        return attached;
    }

    private static void WriteInlineList(XmlWriter w, string element, List<(string Name, string Document)> policies) =>
        WriteList(w, element, policies, static (w, p) =>
        {
            w.WriteElementString("PolicyName", p.Name);
            w.WriteElementString("PolicyDocument", Encoded(p.Document));
        });

    private static void WriteAttached(XmlWriter w, List<ManagedPolicyRecord> attached) =>
        WriteList(w, "AttachedManagedPolicies", attached, static (w, p) =>
        {
            w.WriteElementString("PolicyName", p.PolicyName);
            w.WriteElementString("PolicyArn", p.Arn);
        });
}
