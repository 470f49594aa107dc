using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using Stratus.Iam.Policies;
using Stratus.Iam.Users;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Catalog;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Api;

/// <summary>The IAM API over the query protocol: users, access keys and inline user policies so far.</summary>
public sealed partial class IamService : AwsService
{
    private const int MaxInlinePolicyBytes = 2048;
    private readonly IamStore _store;

    public IamService(IamStore store)
        : base(ServiceCatalog.Get("iam"))
    {
        _store = store;
        RegisterUser("CreateUser", "iam:CreateUser", async (input, context) =>
        {
            var name = UserName(input);
            var path = PathParameter(input);

            var tags = Tags(input);
            var boundary = Boundary(input);
            var user = await _store.CreateUserAsync(context.Account, name, path).ConfigureAwait(false);
            if (tags.Count > 0 || boundary is not null)
            {
                user = await _store.UpdateUserAsync(context.Account, name, u =>
                {
                    u.Tags = tags;
                    u.PermissionsBoundary = boundary;
                }).ConfigureAwait(false);
            }

            return new QueryResult(w => WriteUser(w, user));
        });
        Register<OperationInput, QueryResult>(
            "GetUser",
            static input => input,
            static (input, context) => Resource("iam:GetUser", context, input.Parameters.Get("UserName") ?? context.Caller.Arn.Split('/')[^1]),
            (input, context, _) =>
            {
                var name = input.Parameters.Get("UserName");
                if (name is null && context.Caller.Type is PrincipalType.User)
                {
                    name = context.Caller.Arn[(context.Caller.Arn.LastIndexOf('/') + 1)..];
                }
                else if (name is null && context.Caller.Type is not PrincipalType.Account)
                {
                    throw IamErrors.Validation("Must specify userName when calling with non-User credentials");
                }

                if (name is null)
                {
                    // Without a name, GetUser describes the caller; the root has no IAM user record.
                    return ValueTask.FromResult(new QueryResult(w =>
                    {
                        w.WriteStartElement("User");
                        w.WriteElementString("UserId", context.Caller.UserId);
                        w.WriteElementString("Arn", context.Caller.Arn);
                        w.WriteElementString("CreateDate", Timestamp(0));
                        w.WriteEndElement();
                    }));
                }

                var user = _store.RequireUser(context.Account, name);
                return ValueTask.FromResult(new QueryResult(w => WriteUser(w, user)));
            });
        Register<OperationInput, QueryResult>(
            "ListUsers",
            static input => input,
            static (_, context) => new AuthorizationRequest("iam:ListUsers", [$"arn:aws:iam::{context.Account}:user/"]),
            (input, context, _) =>
            {
                var prefix = input.Parameters.Get("PathPrefix") ?? "/";
                if (!prefix.StartsWith('/'))
                {
                    throw IamErrors.Validation($"1 validation error detected: Value '{prefix}' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*");
                }

                var (users, next) = Page(_store.Users(context.Account, prefix), static u => u.UserName, input);
                return ValueTask.FromResult(new QueryResult(w =>
                {
                    WriteList(w, "Users", users, WriteUserFields);
                    WriteTruncation(w, next);
                }));
            });
        RegisterUser("DeleteUser", "iam:DeleteUser", async (input, context) =>
        {
            await _store.DeleteUserAsync(context.Account, UserName(input)).ConfigureAwait(false);
            return new QueryResult(static _ => { });
        });
        RegisterUser("CreateAccessKey", "iam:CreateAccessKey", async (input, context) =>
        {
            var key = await _store.CreateAccessKeyAsync(context.Account, UserName(input)).ConfigureAwait(false);
            return new QueryResult(w =>
            {
                w.WriteStartElement("AccessKey");
                w.WriteElementString("UserName", key.UserName);
                w.WriteElementString("AccessKeyId", key.AccessKeyId);
                w.WriteElementString("Status", key.Status);
                w.WriteElementString("SecretAccessKey", key.SecretAccessKey);
                w.WriteElementString("CreateDate", Timestamp(key.Created));
                w.WriteEndElement();
            });
        });
        RegisterUser("ListAccessKeys", "iam:ListAccessKeys", (input, context) =>
        {
            var keys = _store.AccessKeys(context.Account, UserName(input));
            return Task.FromResult(new QueryResult(w =>
            {
                w.WriteStartElement("AccessKeyMetadata");
                foreach (var key in keys)
                {
                    w.WriteStartElement("member");
                    w.WriteElementString("UserName", key.UserName);
                    w.WriteElementString("AccessKeyId", key.AccessKeyId);
                    w.WriteElementString("Status", key.Status);
                    w.WriteElementString("CreateDate", Timestamp(key.Created));
                    w.WriteEndElement();
                }

                w.WriteEndElement();
                w.WriteElementString("IsTruncated", "false");
            }));
        });
        RegisterUser("UpdateAccessKey", "iam:UpdateAccessKey", async (input, context) =>
        {
            var status = input.RequiredParameter("Status");
            if (status is not ("Active" or "Inactive"))
            {
                throw IamErrors.Validation($"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
            }

            await _store.UpdateAccessKeyAsync(context.Account, UserName(input), input.RequiredParameter("AccessKeyId"), status).ConfigureAwait(false);
            return new QueryResult(static _ => { });
        });
        RegisterUser("DeleteAccessKey", "iam:DeleteAccessKey", async (input, context) =>
        {
            await _store.DeleteAccessKeyAsync(context.Account, UserName(input), input.RequiredParameter("AccessKeyId")).ConfigureAwait(false);
            return new QueryResult(static _ => { });
        });
        RegisterUser("PutUserPolicy", "iam:PutUserPolicy", async (input, context) =>
        {
            var document = input.RequiredParameter("PolicyDocument");
            var total = PolicyDocument.Parse(document, PolicyKind.Identity).SizeWithoutWhitespace; // MalformedPolicyDocument says what is wrong
            var policyName = PolicyName(input);
            foreach (var (name, other) in _store.UserPolicies(context.Account, UserName(input)))
            {
                total += name == policyName ? 0 : PolicyDocument.Parse(other, PolicyKind.Identity).SizeWithoutWhitespace;
            }

            // AWS counts every inline policy of the user together, without whitespace.
            if (total > MaxInlinePolicyBytes)
            {
                throw IamErrors.LimitExceeded($"Maximum policy size of {MaxInlinePolicyBytes} bytes exceeded for user {UserName(input)}");
            }
            await _store.PutUserPolicyAsync(context.Account, UserName(input), PolicyName(input), document).ConfigureAwait(false);
            return new QueryResult(static _ => { });
        });
        RegisterUser("GetUserPolicy", "iam:GetUserPolicy", (input, context) =>
        {
            var user = UserName(input);
            var name = PolicyName(input);
            var document = _store.GetUserPolicy(context.Account, user, name) ?? throw IamErrors.NoSuchEntity($"The user policy with name {name} cannot be found.");
            return Task.FromResult(new QueryResult(w =>
            {
                w.WriteElementString("UserName", user);
                w.WriteElementString("PolicyName", name);
                w.WriteElementString("PolicyDocument", Uri.EscapeDataString(document)); // IAM returns policy documents URL-encoded
            }));
        });
        RegisterUser("DeleteUserPolicy", "iam:DeleteUserPolicy", async (input, context) =>
        {
            await _store.DeleteUserPolicyAsync(context.Account, UserName(input), PolicyName(input)).ConfigureAwait(false);
            return new QueryResult(static _ => { });
        });
        RegisterUser("ListUserPolicies", "iam:ListUserPolicies", (input, context) =>
        {
            _store.RequireUser(context.Account, UserName(input));
            var names = _store.PolicyNames(context.Account, UserName(input));
            return Task.FromResult(new QueryResult(w =>
            {
                w.WriteStartElement("PolicyNames");
                foreach (var name in names)
                {
                    w.WriteElementString("member", name);
                }

                w.WriteEndElement();
                w.WriteElementString("IsTruncated", "false");
            }));
        });
        RegisterRoles();
        RegisterManagedPolicies();
        RegisterGroups();
        RegisterTagsAndBoundaries();
        RegisterInstanceProfiles();
        RegisterAccountDetails();
        RegisterUserExtras();
    }

    // Operations on one named user: the request is the decoded input itself, the resource is the user's ARN.
    private void RegisterUser(string operation, string action, Func<OperationInput, RequestContext, Task<QueryResult>> execute) =>
        Register<OperationInput, QueryResult>(
            operation,
            static input => input,
            (input, context) => Resource(action, context, input.Parameters.Get("UserName") ?? ""),
            async (input, context, _) => await execute(input, context).ConfigureAwait(false));

    private static AuthorizationRequest Resource(string action, RequestContext context, string userName) =>
        new(action, [$"arn:aws:iam::{context.Account}:user/{userName}"]) { ResourceAccount = context.Account };

    private static string UserName(OperationInput input)
    {
        var name = input.RequiredParameter("UserName");
        return NamePattern().IsMatch(name) && name.Length <= 64
            ? name
            : throw IamErrors.Validation($"1 validation error detected: Value '{name}' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }

    private static string PolicyName(OperationInput input)
    {
        var name = input.RequiredParameter("PolicyName");
        return NamePattern().IsMatch(name) && name.Length <= 128
            ? name
            : throw IamErrors.Validation($"1 validation error detected: Value '{name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }

    private static void WriteUser(XmlWriter w, UserRecord user)
    {
        w.WriteStartElement("User");
        WriteUserFields(w, user);
        WriteBoundary(w, user.PermissionsBoundary);
        WriteTags(w, user.Tags);
        w.WriteEndElement();
    }

    private static void WriteUserFields(XmlWriter w, UserRecord user)
    {
        w.WriteElementString("Path", user.Path);
        w.WriteElementString("UserName", user.UserName);
        w.WriteElementString("UserId", user.UserId);
        w.WriteElementString("Arn", user.Arn);
        w.WriteElementString("CreateDate", Timestamp(user.Created));
    }

    private static string Timestamp(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[\w+=,.@-]+$")]
    private static partial Regex NamePattern();
}
