using Stratus.Iam.Users;
using Stratus.Protocol.Pipeline;

namespace Stratus.Iam.Api;

/// <summary>Tags on users, roles, managed policies and instance profiles, and permissions boundaries on users and roles.</summary>
public sealed partial class IamService
{
    private void RegisterTagsAndBoundaries()
    {
        RegisterTags("User", UserArnOf,
            (input, context) => _store.RequireUser(context.Account, Name(input, "UserName", 64)).Tags,
            (input, context, change) => _store.UpdateUserAsync(context.Account, Name(input, "UserName", 64), u => change(u.Tags)));
        RegisterTags("Role", RoleArn,
            (input, context) => _store.RequireRole(context.Account, Name(input, "RoleName", 64)).Tags,
            (input, context, change) => _store.UpdateRoleAsync(context.Account, Name(input, "RoleName", 64), r => change(r.Tags)));
        RegisterTags("Policy", PolicyArnOf,
            (input, context) => _store.RequirePolicy(RequiredPolicyArn(input, context)).Tags,
            (input, context, change) => _store.UpdatePolicyAsync(RequiredPolicyArn(input, context), p => change(p.Tags)));
        RegisterTags("InstanceProfile", InstanceProfileArnOf,
            (input, context) => _store.RequireInstanceProfile(context.Account, Name(input, "InstanceProfileName", 128)).Tags,
            (input, context, change) => _store.UpdateInstanceProfileAsync(context.Account, Name(input, "InstanceProfileName", 128), p => change(p.Tags)));

        RegisterOn("PutUserPermissionsBoundary", "iam:PutUserPermissionsBoundary", UserArnOf, async (input, context) =>
        {
            var boundary = RequiredBoundary(input);
            await _store.UpdateUserAsync(context.Account, Name(input, "UserName", 64), u => u.PermissionsBoundary = boundary).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("DeleteUserPermissionsBoundary", "iam:DeleteUserPermissionsBoundary", UserArnOf, async (input, context) =>
        {
            await _store.UpdateUserAsync(context.Account, Name(input, "UserName", 64), u => u.PermissionsBoundary = null).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("PutRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", RoleArn, async (input, context) =>
        {
            var boundary = RequiredBoundary(input);
            await _store.UpdateRoleAsync(context.Account, Name(input, "RoleName", 64), r => r.PermissionsBoundary = boundary).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("DeleteRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", RoleArn, async (input, context) =>
        {
            await _store.UpdateRoleAsync(context.Account, Name(input, "RoleName", 64), r => r.PermissionsBoundary = null).ConfigureAwait(false);
            return Empty();
        });
    }

    /// <summary>Tag{Noun}, Untag{Noun} and List{Noun}Tags over one entity's tag list.</summary>
    private void RegisterTags<T>(
        string noun,
        Func<OperationInput, RequestContext, string> resource,
        Func<OperationInput, RequestContext, List<IamTag>> read,
        Func<OperationInput, RequestContext, Action<List<IamTag>>, Task<T>> update)
    {
        RegisterOn($"Tag{noun}", $"iam:Tag{noun}", resource, async (input, context) =>
        {
            var tags = Tags(input);
            if (tags.Count == 0)
            {
                throw Protocol.Pipeline.ProtocolErrors.MissingParameter(input.Protocol, "Tags");
            }

            await update(input, context, existing => IamStore.MergeTags(existing, tags)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn($"Untag{noun}", $"iam:Untag{noun}", resource, async (input, context) =>
        {
            var keys = TagKeys(input);
            await update(input, context, existing => IamStore.RemoveTags(existing, keys)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn($"List{noun}Tags", $"iam:List{noun}Tags", resource, (input, context) =>
        {
            var (page, next) = Page(read(input, context), static t => t.Key, input);
            return Task.FromResult(new QueryResult(w =>
            {
                WriteTags(w, page, always: true);
                WriteTruncation(w, next);
            }));
        });
    }

    private string RequiredBoundary(OperationInput input)
    {
        _ = input.RequiredParameter("PermissionsBoundary");
        return Boundary(input)!;
    }
}
