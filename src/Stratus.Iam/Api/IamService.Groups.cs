using System.Xml;
using Stratus.Iam.Users;

namespace Stratus.Iam.Api;

/// <summary>Groups: membership and the group's policies, which apply to every member.</summary>
public sealed partial class IamService
{
    private void RegisterGroups()
    {
        RegisterOn("CreateGroup", "iam:CreateGroup", (input, context) => $"arn:aws:iam::{context.Account}:group{input.Parameters.Get("Path") ?? "/"}{input.Parameters.Get("GroupName")}", async (input, context) =>
        {
            var group = await _store.CreateGroupAsync(context.Account, Name(input, "GroupName", 128), PathParameter(input)).ConfigureAwait(false);
            return new QueryResult(w => WriteGroup(w, group));
        });
        RegisterOn("GetGroup", "iam:GetGroup", GroupArnOf, (input, context) =>
        {
            var group = _store.RequireGroup(context.Account, Name(input, "GroupName", 128));
            var members = new List<UserRecord>();
            foreach (var name in _store.GroupMembers(context.Account, group.GroupName))
            {
                if (_store.FindUser(context.Account, name) is { } user)
                {
                    members.Add(user);
                }
            }

            var (page, next) = Page(members, static u => u.UserName, input);
            return Task.FromResult(new QueryResult(w =>
            {
                WriteGroup(w, group);
                WriteList(w, "Users", page, WriteUserFields);
                WriteTruncation(w, next);
            }));
        });
        RegisterOn("ListGroups", "iam:ListGroups", static (_, _) => "*", (input, context) =>
        {
            var (page, next) = Page(_store.Groups(context.Account, PathPrefix(input)), static g => g.GroupName, input);
            return Task.FromResult(new QueryResult(w =>
            {
                WriteList(w, "Groups", page, WriteGroupFields);
                WriteTruncation(w, next);
            }));
        });
        RegisterOn("UpdateGroup", "iam:UpdateGroup", GroupArnOf, async (input, context) =>
        {
            var name = Name(input, "GroupName", 128);
            if (input.Parameters.Get("NewGroupName") is { } newName && newName != name)
            {
                throw IamErrors.InvalidInput("Stratus does not rename groups yet: create a new group and move the members and policies.");
            }

            var group = _store.RequireGroup(context.Account, name);
            if (input.Parameters.Get("NewPath") is not null)
            {
                await _store.UpdateGroupPathAsync(context.Account, group.GroupName, PathParameter(input, "NewPath")).ConfigureAwait(false);
            }

            return Empty();
        });
        RegisterOn("DeleteGroup", "iam:DeleteGroup", GroupArnOf, async (input, context) =>
        {
            await _store.DeleteGroupAsync(context.Account, Name(input, "GroupName", 128)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("AddUserToGroup", "iam:AddUserToGroup", GroupArnOf, async (input, context) =>
        {
            await _store.AddUserToGroupAsync(context.Account, Name(input, "GroupName", 128), Name(input, "UserName", 64)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("RemoveUserFromGroup", "iam:RemoveUserFromGroup", GroupArnOf, async (input, context) =>
        {
            await _store.RemoveUserFromGroupAsync(context.Account, Name(input, "GroupName", 128), Name(input, "UserName", 64)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("ListGroupsForUser", "iam:ListGroupsForUser", UserArnOf, (input, context) =>
        {
            var user = _store.RequireUser(context.Account, Name(input, "UserName", 64));
            var groups = new List<GroupRecord>();
            foreach (var name in _store.GroupsForUser(context.Account, user.UserName))
            {
                if (_store.FindGroup(context.Account, name) is { } group)
                {
                    groups.Add(group);
                }
            }

            var (page, next) = Page(groups, static g => g.GroupName, input);
            return Task.FromResult(new QueryResult(w =>
            {
                WriteList(w, "Groups", page, WriteGroupFields);
                WriteTruncation(w, next);
            }));
        });
        RegisterInlinePolicies(PrincipalKind.Group, "Group", MaxGroupInlineChars, GroupArnOf);
    }

    private static void WriteGroup(XmlWriter w, GroupRecord group)
    {
        w.WriteStartElement("Group");
        WriteGroupFields(w, group);
        w.WriteEndElement();
    }

    private static void WriteGroupFields(XmlWriter w, GroupRecord group)
    {
        w.WriteElementString("Path", group.Path);
        w.WriteElementString("GroupName", group.GroupName);
        w.WriteElementString("GroupId", group.GroupId);
        w.WriteElementString("Arn", group.Arn);
        w.WriteElementString("CreateDate", Timestamp(group.Created));
    }
}
