using System.Xml;
using Stratus.Iam.Users;
using Stratus.Protocol.Pipeline;

namespace Stratus.Iam.Api;

/// <summary>Roles: trust policies, session limits, descriptions, and their inline policies.</summary>
public sealed partial class IamService
{
    private const int MinSessionDuration = 3600;
    private const int MaxSessionDuration = 43200;

    private void RegisterRoles()
    {
        RegisterOn("CreateRole", "iam:CreateRole", (input, context) => $"arn:aws:iam::{context.Account}:role{input.Parameters.Get("Path") ?? "/"}{input.Parameters.Get("RoleName")}", async (input, context) =>
        {
            var name = Name(input, "RoleName", 64);
            var path = PathParameter(input);
            var trust = input.RequiredParameter("AssumeRolePolicyDocument");
            ValidateTrustPolicy(trust);
            var role = new RoleRecord
            {
                Account = context.Account,
                RoleName = name,
                RoleId = "AROA" + RoleIdSuffix(),
                Path = path,
                Created = context.ReceivedAt.ToUnixTimeMilliseconds(),
                AssumeRolePolicyDocument = trust,
                Description = Description(input),
                MaxSessionDuration = input.IntegerParameter("MaxSessionDuration", MinSessionDuration, MaxSessionDuration) ?? MinSessionDuration,
                PermissionsBoundary = Boundary(input),
                Tags = Tags(input),
            };
            await _store.CreateRoleAsync(role).ConfigureAwait(false);
            return new QueryResult(w => WriteRole(w, role, full: true));
        });
        RegisterOn("GetRole", "iam:GetRole", RoleArn, (input, context) =>
        {
            var role = _store.RequireRole(context.Account, Name(input, "RoleName", 64));
            return Task.FromResult(new QueryResult(w => WriteRole(w, role, full: true)));
        });
        RegisterOn("ListRoles", "iam:ListRoles", static (_, _) => "*", (input, context) =>
        {
            var (page, next) = Page(_store.Roles(context.Account, PathPrefix(input)), static r => r.RoleName, input);
            return Task.FromResult(new QueryResult(w =>
            {
                WriteList(w, "Roles", page, static (w, r) => WriteRoleFields(w, r, full: false));
                WriteTruncation(w, next);
            }));
        });
        RegisterOn("UpdateRole", "iam:UpdateRole", RoleArn, async (input, context) =>
        {
            var description = Description(input);
            var duration = input.IntegerParameter("MaxSessionDuration", MinSessionDuration, MaxSessionDuration);
            await _store.UpdateRoleAsync(context.Account, Name(input, "RoleName", 64), role =>
            {
                role.Description = description ?? role.Description;
                role.MaxSessionDuration = duration ?? role.MaxSessionDuration;
            }).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("UpdateRoleDescription", "iam:UpdateRoleDescription", RoleArn, async (input, context) =>
        {
            var description = input.Parameters.Get("Description") is null ? throw Protocol.Pipeline.ProtocolErrors.MissingParameter(input.Protocol, "Description") : Description(input);
            var role = await _store.UpdateRoleAsync(context.Account, Name(input, "RoleName", 64), role => role.Description = description).ConfigureAwait(false);
            return new QueryResult(w => WriteRole(w, role, full: true));
        });
        RegisterOn("UpdateAssumeRolePolicy", "iam:UpdateAssumeRolePolicy", RoleArn, async (input, context) =>
        {
            var trust = input.RequiredParameter("PolicyDocument");
            ValidateTrustPolicy(trust);
            await _store.UpdateRoleAsync(context.Account, Name(input, "RoleName", 64), role => role.AssumeRolePolicyDocument = trust).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("DeleteRole", "iam:DeleteRole", RoleArn, async (input, context) =>
        {
            await _store.DeleteRoleAsync(context.Account, Name(input, "RoleName", 64)).ConfigureAwait(false);
            return Empty();
        });
        RegisterInlinePolicies(PrincipalKind.Role, "Role", MaxRoleInlineChars, RoleArn);
    }

    /// <summary>Put/Get/Delete/List{Kind}Policies for the inline policies of groups and roles.</summary>
    private void RegisterInlinePolicies(PrincipalKind kind, string noun, int maxAggregateChars, Func<OperationInput, RequestContext, string> resource)
    {
        var parameter = noun + "Name";
        var maxName = kind == PrincipalKind.Role ? 64 : 128;
        RegisterOn($"Put{noun}Policy", $"iam:Put{noun}Policy", resource, async (input, context) =>
        {
            var owner = Name(input, parameter, maxName);
            var policyName = PolicyName(input);
            var document = input.RequiredParameter("PolicyDocument");
            var parsed = IdentityPolicy(document, maxAggregateChars, $"PolicySize");
            RequireOwner(kind, context.Account, owner);
            var total = parsed.SizeWithoutWhitespace;
            foreach (var (name, other) in _store.InlinePolicies(kind, context.Account, owner))
            {
                total += name == policyName ? 0 : Policies.PolicyDocument.Parse(other, Policies.PolicyKind.Identity).SizeWithoutWhitespace;
            }

            if (total > maxAggregateChars)
            {
                throw IamErrors.LimitExceeded($"Maximum policy size of {maxAggregateChars} bytes exceeded for {IamStore.KindName(kind)} {owner}");
            }

            await _store.PutInlinePolicyAsync(kind, context.Account, owner, policyName, document).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn($"Get{noun}Policy", $"iam:Get{noun}Policy", resource, (input, context) =>
        {
            var owner = Name(input, parameter, maxName);
            var policyName = PolicyName(input);
            RequireOwner(kind, context.Account, owner);
            var document = _store.GetInlinePolicy(kind, context.Account, owner, policyName)
                ?? throw IamErrors.NoSuchEntity($"The {IamStore.KindName(kind)} policy with name {policyName} cannot be found.");
            return Task.FromResult(new QueryResult(w =>
            {
                w.WriteElementString(parameter, owner);
                w.WriteElementString("PolicyName", policyName);
                w.WriteElementString("PolicyDocument", Encoded(document));
            }));
        });
        RegisterOn($"Delete{noun}Policy", $"iam:Delete{noun}Policy", resource, async (input, context) =>
        {
            var owner = Name(input, parameter, maxName);
            RequireOwner(kind, context.Account, owner);
            await _store.DeleteInlinePolicyAsync(kind, context.Account, owner, PolicyName(input)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn($"List{noun}Policies", $"iam:List{noun}Policies", resource, (input, context) =>
        {
            var owner = Name(input, parameter, maxName);
            RequireOwner(kind, context.Account, owner);
            var names = _store.InlinePolicies(kind, context.Account, owner).ConvertAll(static p => p.Name);
            var (page, next) = Page(names, static n => n, input);
            return Task.FromResult(new QueryResult(w =>
            {
                WriteNames(w, "PolicyNames", page);
                WriteTruncation(w, next);
            }));
        });
    }

    private void RequireOwner(PrincipalKind kind, string account, string owner)
    {
        _ = kind switch
        {
            PrincipalKind.User => (object)_store.RequireUser(account, owner),
            PrincipalKind.Group => _store.RequireGroup(account, owner),
            _ => _store.RequireRole(account, owner),
        };
    }

    // The role's ARN with its path when it exists, so that policies naming roles by path match.
    private string RoleArn(OperationInput input, RequestContext context)
    {
        var name = input.Parameters.Get("RoleName") ?? "";
        return _store.FindRole(context.Account, name)?.Arn ?? $"arn:aws:iam::{context.Account}:role/{name}";
    }

    private string? Boundary(OperationInput input)
    {
        if (input.Parameters.Get("PermissionsBoundary") is not { } arn)
        {
            return null;
        }

        if (!arn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || !arn.Contains(":policy/", StringComparison.Ordinal))
        {
            throw IamErrors.InvalidInput($"ARN {arn} is not valid.");
        }

        return _store.FindPolicy(arn) is { } policy && (policy.IsAwsManaged || policy.Account == input.Context.Account)
            ? arn
            : throw IamErrors.NoSuchEntity($"Scope ARN: {arn} does not exist or is not attachable.");
    }

    private static string RoleIdSuffix() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9))[..17];

    private static void WriteRole(XmlWriter w, RoleRecord role, bool full)
    {
        w.WriteStartElement("Role");
        WriteRoleFields(w, role, full);
        w.WriteEndElement();
    }

    private static void WriteRoleFields(XmlWriter w, RoleRecord role, bool full)
    {
        w.WriteElementString("Path", role.Path);
        w.WriteElementString("RoleName", role.RoleName);
        w.WriteElementString("RoleId", role.RoleId);
        w.WriteElementString("Arn", role.Arn);
        w.WriteElementString("CreateDate", Timestamp(role.Created));
        w.WriteElementString("AssumeRolePolicyDocument", Encoded(role.AssumeRolePolicyDocument));
        if (role.Description is not null)
        {
            w.WriteElementString("Description", role.Description);
        }

        w.WriteElementString("MaxSessionDuration", role.MaxSessionDuration.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!full)
        {
            return;
        }

        WriteBoundary(w, role.PermissionsBoundary);
        WriteTags(w, role.Tags);
        w.WriteStartElement("RoleLastUsed");
        if (role.LastUsed is { } used)
        {
            w.WriteElementString("LastUsedDate", Timestamp(used));
            w.WriteElementString("Region", role.LastUsedRegion);
        }

        w.WriteEndElement();
    }
}
