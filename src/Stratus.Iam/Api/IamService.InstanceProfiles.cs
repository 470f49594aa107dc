using System.Xml;
using Stratus.Iam.Users;
using Stratus.Protocol.Pipeline;

namespace Stratus.Iam.Api;

/// <summary>Instance profiles: one role each, for EC2 instances to carry.</summary>
public sealed partial class IamService
{
    private void RegisterInstanceProfiles()
    {
        RegisterOn("CreateInstanceProfile", "iam:CreateInstanceProfile", (input, context) => $"arn:aws:iam::{context.Account}:instance-profile{input.Parameters.Get("Path") ?? "/"}{input.Parameters.Get("InstanceProfileName")}", async (input, context) =>
        {
            var profile = await _store.CreateInstanceProfileAsync(context.Account, Name(input, "InstanceProfileName", 128), PathParameter(input), Tags(input)).ConfigureAwait(false);
            return new QueryResult(w => WriteInstanceProfile(w, "InstanceProfile", profile, []));
        });
        RegisterOn("GetInstanceProfile", "iam:GetInstanceProfile", InstanceProfileArnOf, (input, context) =>
        {
            var profile = _store.RequireInstanceProfile(context.Account, Name(input, "InstanceProfileName", 128));
            var roles = RolesOf(profile);
            return Task.FromResult(new QueryResult(w => WriteInstanceProfile(w, "InstanceProfile", profile, roles)));
        });
        RegisterOn("ListInstanceProfiles", "iam:ListInstanceProfiles", static (_, _) => "*", (input, context) =>
        {
            var (page, next) = Page(_store.InstanceProfiles(context.Account, PathPrefix(input)), static p => p.InstanceProfileName, input);
            var rows = page.ConvertAll(p => (Profile: p, Roles: RolesOf(p)));
            return Task.FromResult(new QueryResult(w =>
            {
                WriteList(w, "InstanceProfiles", rows, static (w, r) => WriteInstanceProfileFields(w, r.Profile, r.Roles));
                WriteTruncation(w, next);
            }));
        });
        RegisterOn("DeleteInstanceProfile", "iam:DeleteInstanceProfile", InstanceProfileArnOf, async (input, context) =>
        {
            await _store.DeleteInstanceProfileAsync(context.Account, Name(input, "InstanceProfileName", 128)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("AddRoleToInstanceProfile", "iam:AddRoleToInstanceProfile", InstanceProfileArnOf, async (input, context) =>
        {
            await _store.AddRoleToInstanceProfileAsync(context.Account, Name(input, "InstanceProfileName", 128), Name(input, "RoleName", 64)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("RemoveRoleFromInstanceProfile", "iam:RemoveRoleFromInstanceProfile", InstanceProfileArnOf, async (input, context) =>
        {
            await _store.RemoveRoleFromInstanceProfileAsync(context.Account, Name(input, "InstanceProfileName", 128), Name(input, "RoleName", 64)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("ListInstanceProfilesForRole", "iam:ListInstanceProfilesForRole", RoleArn, (input, context) =>
        {
            var role = _store.RequireRole(context.Account, Name(input, "RoleName", 64));
            var (page, next) = Page(_store.InstanceProfilesForRole(context.Account, role.RoleName), static p => p.InstanceProfileName, input);
            var rows = page.ConvertAll(p => (Profile: p, Roles: RolesOf(p)));
            return Task.FromResult(new QueryResult(w =>
            {
                WriteList(w, "InstanceProfiles", rows, static (w, r) => WriteInstanceProfileFields(w, r.Profile, r.Roles));
                WriteTruncation(w, next);
            }));
        });
    }

    private List<RoleRecord> RolesOf(InstanceProfileRecord profile)
    {
        var roles = new List<RoleRecord>();
        foreach (var name in profile.Roles)
        {
            if (_store.FindRole(profile.Account, name) is { } role)
            {
                roles.Add(role);
            }
        }

        return roles;
    }

    private string InstanceProfileArnOf(OperationInput input, RequestContext context)
    {
        var name = input.Parameters.Get("InstanceProfileName") ?? "";
        return _store.FindInstanceProfile(context.Account, name)?.Arn ?? $"arn:aws:iam::{context.Account}:instance-profile/{name}";
    }

    private static void WriteInstanceProfile(XmlWriter w, string element, InstanceProfileRecord profile, List<RoleRecord> roles)
    {
        w.WriteStartElement(element);
        WriteInstanceProfileFields(w, profile, roles);
        w.WriteEndElement();
    }

    private static void WriteInstanceProfileFields(XmlWriter w, InstanceProfileRecord profile, List<RoleRecord> roles)
    {
        w.WriteElementString("Path", profile.Path);
        w.WriteElementString("InstanceProfileName", profile.InstanceProfileName);
        w.WriteElementString("InstanceProfileId", profile.InstanceProfileId);
        w.WriteElementString("Arn", profile.Arn);
        w.WriteElementString("CreateDate", Timestamp(profile.Created));
        WriteList(w, "Roles", roles, static (w, r) => WriteRoleFields(w, r, full: false));
        WriteTags(w, profile.Tags);
    }
}
