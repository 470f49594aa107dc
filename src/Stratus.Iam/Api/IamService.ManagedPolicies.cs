using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using Stratus.Iam.Users;
using Stratus.Protocol.Pipeline;

namespace Stratus.Iam.Api;

/// <summary>Managed policies: create, versions (at most five, one default), delete rules, attachments, and AWS's own.</summary>
public sealed partial class IamService
{
    private void RegisterManagedPolicies()
    {
        RegisterOn("CreatePolicy", "iam:CreatePolicy", (input, context) => $"arn:aws:iam::{context.Account}:policy{input.Parameters.Get("Path") ?? "/"}{input.Parameters.Get("PolicyName")}", async (input, context) =>
        {
            var name = Name(input, "PolicyName", 128);
            var path = PathParameter(input);
            var document = input.RequiredParameter("PolicyDocument");
            IdentityPolicy(document, MaxManagedPolicyChars, "PolicySize");
            var now = context.ReceivedAt.ToUnixTimeMilliseconds();
            var policy = new ManagedPolicyRecord
            {
                Account = context.Account,
                PolicyName = name,
                PolicyId = "ANPA" + RoleIdSuffix(),
                Path = path,
                Description = Description(input),
                Created = now,
                Updated = now,
                DefaultVersionId = "v1",
                Versions = [new PolicyVersionRecord { VersionId = "v1", Document = document, Created = now }],
                Tags = Tags(input),
            };
            await _store.CreatePolicyAsync(policy).ConfigureAwait(false);
            return new QueryResult(w => WritePolicy(w, "Policy", policy, 0, 0, withTags: true));
        });
        RegisterOn("GetPolicy", "iam:GetPolicy", PolicyArnOf, (input, context) =>
        {
            var policy = _store.RequirePolicy(RequiredPolicyArn(input, context));
            var (attachments, boundaries) = Usage(policy, context.Account);
            return Task.FromResult(new QueryResult(w => WritePolicy(w, "Policy", policy, attachments, boundaries, withTags: true)));
        });
        RegisterOn("ListPolicies", "iam:ListPolicies", static (_, _) => "*", (input, context) =>
        {
            var scope = input.Parameters.Get("Scope") ?? "All";
            if (scope is not ("All" or "AWS" or "Local"))
            {
                throw IamErrors.Validation($"1 validation error detected: Value '{scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]");
            }

            var onlyAttached = Flag(input, "OnlyAttached");
            var usage = UsageFilter(input);
            var prefix = PathPrefix(input);
            var rows = new List<(ManagedPolicyRecord Policy, int Attachments, int Boundaries)>();
            var candidates = new List<ManagedPolicyRecord>();
            if (scope != "Local")
            {
                candidates.AddRange(AwsManagedPolicies.All);
            }

            if (scope != "AWS")
            {
                candidates.AddRange(_store.LocalPolicies(context.Account));
            }

            foreach (var policy in candidates)
            {
                var (attachments, boundaries) = Usage(policy, context.Account);
                var used = usage switch { "PermissionsPolicy" => attachments, "PermissionsBoundary" => boundaries, _ => attachments + boundaries };
                if (policy.Path.StartsWith(prefix, StringComparison.Ordinal) && (!onlyAttached || used > 0))
                {
                    rows.Add((policy, attachments, boundaries));
                }
            }

            rows.Sort(static (a, b) => string.CompareOrdinal(a.Policy.Arn, b.Policy.Arn));
            var (page, next) = Page(rows, static r => r.Policy.Arn, input);
            return Task.FromResult(new QueryResult(w =>
            {
                WriteList(w, "Policies", page, static (w, r) => WritePolicyFields(w, r.Policy, r.Attachments, r.Boundaries, withTags: false));
                WriteTruncation(w, next);
            }));
        });
        RegisterOn("DeletePolicy", "iam:DeletePolicy", PolicyArnOf, async (input, context) =>
        {
            await _store.DeletePolicyAsync(RequiredPolicyArn(input, context)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("CreatePolicyVersion", "iam:CreatePolicyVersion", PolicyArnOf, async (input, context) =>
        {
            var document = input.RequiredParameter("PolicyDocument");
            IdentityPolicy(document, MaxManagedPolicyChars, "PolicySize");
            var setDefault = Flag(input, "SetAsDefault");
            var now = context.ReceivedAt.ToUnixTimeMilliseconds();
            PolicyVersionRecord? created = null;
            await _store.UpdatePolicyAsync(RequiredPolicyArn(input, context), policy =>
            {
                if (policy.Versions.Count >= IamStore.MaxPolicyVersions)
                {
                    throw IamErrors.LimitExceeded($"A managed policy can have up to {IamStore.MaxPolicyVersions} versions. Before you create a new version, you must delete an existing version.");
                }

                created = new PolicyVersionRecord { VersionId = "v" + policy.NextVersion.ToString(CultureInfo.InvariantCulture), Document = document, Created = now };
                policy.NextVersion++;
                policy.Versions.Add(created);
                if (setDefault)
                {
                    policy.DefaultVersionId = created.VersionId;
                    policy.Updated = now;
                }
            }).ConfigureAwait(false);
            return new QueryResult(w => WriteVersion(w, created!, setDefault, withDocument: false));
        });
        RegisterOn("GetPolicyVersion", "iam:GetPolicyVersion", PolicyArnOf, (input, context) =>
        {
            var arn = RequiredPolicyArn(input, context);
            var versionId = VersionId(input);
            var policy = _store.RequirePolicy(arn);
            var version = policy.Versions.Find(v => v.VersionId == versionId) ?? throw IamErrors.NoSuchEntity($"Policy {arn} version {versionId} does not exist or is not attachable.");
            return Task.FromResult(new QueryResult(w => WriteVersion(w, version, version.VersionId == policy.DefaultVersionId, withDocument: true)));
        });
        RegisterOn("ListPolicyVersions", "iam:ListPolicyVersions", PolicyArnOf, (input, context) =>
        {
            var policy = _store.RequirePolicy(RequiredPolicyArn(input, context));
            var versions = new List<PolicyVersionRecord>(policy.Versions);
            versions.Reverse(); // newest first, as IAM lists them
            var (page, next) = Page(versions, static v => v.VersionId, input);
            return Task.FromResult(new QueryResult(w =>
            {
                w.WriteStartElement("Versions");
                foreach (var version in page)
                {
                    w.WriteStartElement("member");
                    WriteVersionFields(w, version, version.VersionId == policy.DefaultVersionId, withDocument: false);
                    w.WriteEndElement();
                }

                w.WriteEndElement();
                WriteTruncation(w, next);
            }));
        });
        RegisterOn("DeletePolicyVersion", "iam:DeletePolicyVersion", PolicyArnOf, async (input, context) =>
        {
            var arn = RequiredPolicyArn(input, context);
            var versionId = VersionId(input);
            await _store.UpdatePolicyAsync(arn, policy =>
            {
                if (policy.DefaultVersionId == versionId)
                {
                    throw IamErrors.DeleteConflict("Cannot delete the default version of a policy.");
                }

                if (policy.Versions.RemoveAll(v => v.VersionId == versionId) == 0)
                {
                    throw IamErrors.NoSuchEntity($"Policy {arn} version {versionId} does not exist or is not attachable.");
                }
            }).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("SetDefaultPolicyVersion", "iam:SetDefaultPolicyVersion", PolicyArnOf, async (input, context) =>
        {
            var arn = RequiredPolicyArn(input, context);
            var versionId = VersionId(input);
            var now = context.ReceivedAt.ToUnixTimeMilliseconds();
            await _store.UpdatePolicyAsync(arn, policy =>
            {
                if (!policy.Versions.Exists(v => v.VersionId == versionId))
                {
                    throw IamErrors.NoSuchEntity($"Policy {arn} version {versionId} does not exist or is not attachable.");
                }

                policy.DefaultVersionId = versionId;
                policy.Updated = now;
            }).ConfigureAwait(false);
            return Empty();
        });
        RegisterAttachments(PrincipalKind.User, "User", 64, UserArnOf);
        RegisterAttachments(PrincipalKind.Group, "Group", 128, GroupArnOf);
        RegisterAttachments(PrincipalKind.Role, "Role", 64, RoleArn);
        RegisterOn("ListEntitiesForPolicy", "iam:ListEntitiesForPolicy", PolicyArnOf, (input, context) =>
        {
            var arn = RequiredPolicyArn(input, context);
            _store.RequirePolicy(arn);
            var filter = input.Parameters.Get("EntityFilter");
            if (filter is not (null or "User" or "Role" or "Group" or "LocalManagedPolicy" or "AWSManagedPolicy"))
            {
                throw IamErrors.Validation($"1 validation error detected: Value '{filter}' at 'entityFilter' failed to satisfy constraint: Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]");
            }

            var prefix = PathPrefix(input);
            var usage = UsageFilter(input);
            var users = new List<UserRecord>();
            var groups = new List<GroupRecord>();
            var roles = new List<RoleRecord>();
            if (usage is null or "PermissionsBoundary")
            {
                // Users and roles the policy bounds count as its entities too, unless only permissions policies are asked for.
                users.AddRange(_store.Users(context.Account, prefix).FindAll(u => u.PermissionsBoundary == arn && filter is null or "User"));
                roles.AddRange(_store.Roles(context.Account, prefix).FindAll(r => r.PermissionsBoundary == arn && filter is null or "Role"));
            }

            foreach (var (kind, name) in usage == "PermissionsBoundary" ? [] : _store.EntitiesForPolicy(arn, context.Account))
            {
                switch (kind)
                {
                    case PrincipalKind.User when filter is null or "User" && _store.FindUser(context.Account, name) is { } user && user.Path.StartsWith(prefix, StringComparison.Ordinal) && !users.Exists(u => u.UserName == name):
                        users.Add(user);
                        break;
                    case PrincipalKind.Group when filter is null or "Group" && _store.FindGroup(context.Account, name) is { } group && group.Path.StartsWith(prefix, StringComparison.Ordinal):
                        groups.Add(group);
                        break;
                    case PrincipalKind.Role when filter is null or "Role" && _store.FindRole(context.Account, name) is { } role && role.Path.StartsWith(prefix, StringComparison.Ordinal) && !roles.Exists(r => r.RoleName == name):
                        roles.Add(role);
                        break;
                }
            }

            return Task.FromResult(new QueryResult(w =>
            {
                WriteList(w, "PolicyGroups", groups, static (w, g) =>
                {
                    w.WriteElementString("GroupName", g.GroupName);
                    w.WriteElementString("GroupId", g.GroupId);
                });
                WriteList(w, "PolicyUsers", users, static (w, u) =>
                {
                    w.WriteElementString("UserName", u.UserName);
                    w.WriteElementString("UserId", u.UserId);
                });
                WriteList(w, "PolicyRoles", roles, static (w, r) =>
                {
                    w.WriteElementString("RoleName", r.RoleName);
                    w.WriteElementString("RoleId", r.RoleId);
                });
                WriteTruncation(w, null);
            }));
        });
    }

    /// <summary>Attach/Detach/ListAttached{Kind}Policies.</summary>
    private void RegisterAttachments(PrincipalKind kind, string noun, int maxName, Func<OperationInput, RequestContext, string> resource)
    {
        var parameter = noun + "Name";
        RegisterOn($"Attach{noun}Policy", $"iam:Attach{noun}Policy", resource, async (input, context) =>
        {
            var owner = Name(input, parameter, maxName);
            await _store.AttachPolicyAsync(kind, context.Account, owner, RequiredPolicyArn(input, context)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn($"Detach{noun}Policy", $"iam:Detach{noun}Policy", resource, async (input, context) =>
        {
            var owner = Name(input, parameter, maxName);
            await _store.DetachPolicyAsync(kind, context.Account, owner, RequiredPolicyArn(input, context)).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn($"ListAttached{noun}Policies", $"iam:ListAttached{noun}Policies", resource, (input, context) =>
        {
            var owner = Name(input, parameter, maxName);
            RequireOwner(kind, context.Account, owner);
            var prefix = PathPrefix(input);
            var attached = new List<ManagedPolicyRecord>();
            foreach (var arn in _store.AttachedPolicies(context.Account, kind, owner))
            {
                if (_store.FindPolicy(arn) is { } policy && policy.Path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    attached.Add(policy);
                }
            }

            var (page, next) = Page(attached, static p => p.Arn, input);
            return Task.FromResult(new QueryResult(w =>
            {
                WriteList(w, "AttachedPolicies", page, static (w, p) =>
                {
                    w.WriteElementString("PolicyName", p.PolicyName);
                    w.WriteElementString("PolicyArn", p.Arn);
                });
                WriteTruncation(w, next);
            }));
        });
    }

    // The resource to authorize: the policy's ARN as given (validation comes when the operation runs).
    private static string PolicyArnOf(OperationInput input, RequestContext context) => input.Parameters.Get("PolicyArn") is { Length: > 0 } arn ? arn : "*";

    // A policy ARN the caller's account may use: its own policies and AWS's, never another account's.
    private static string RequiredPolicyArn(OperationInput input, RequestContext context)
    {
        var arn = input.RequiredParameter("PolicyArn");
        if (arn.Length is < 20 or > 2048)
        {
            throw IamErrors.Validation($"1 validation error detected: Value '{arn}' at 'policyArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
        }

        if (!Core.Arn.TryParse(arn, out var parsed) || parsed.Value.Service != "iam")
        {
            throw IamErrors.InvalidInput($"ARN {arn} is not valid.");
        }

        return parsed.Value.Account == context.Account || parsed.Value.Account == "aws"
            ? arn
            : throw IamErrors.NoSuchEntity($"Policy {arn} does not exist or is not attachable.");
    }

    private static string UserArnOf(OperationInput input, RequestContext context) => $"arn:aws:iam::{context.Account}:user/{input.Parameters.Get("UserName")}";

    private string GroupArnOf(OperationInput input, RequestContext context)
    {
        var name = input.Parameters.Get("GroupName") ?? "";
        return _store.FindGroup(context.Account, name)?.Arn ?? $"arn:aws:iam::{context.Account}:group/{name}";
    }

    private static string VersionId(OperationInput input)
    {
        var id = input.RequiredParameter("VersionId");
        return VersionIdPattern().IsMatch(id)
            ? id
            : throw IamErrors.Validation($"1 validation error detected: Value '{id}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");
    }

    private static bool Flag(OperationInput input, string name) => input.Parameters.Get(name) switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw IamErrors.Validation($"1 validation error detected: Value '{other}' at '{Camel(name)}' failed to satisfy constraint: Member must be a boolean"),
    };

    private static string? UsageFilter(OperationInput input)
    {
        var usage = input.Parameters.Get("PolicyUsageFilter");
        return usage is null or "PermissionsPolicy" or "PermissionsBoundary"
            ? usage
            : throw IamErrors.Validation($"1 validation error detected: Value '{usage}' at 'policyUsageFilter' failed to satisfy constraint: Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]");
    }

    /// <summary>How many users, groups and roles of the account the policy is attached to, and how many users and roles it bounds.</summary>
    private (int Attachments, int Boundaries) Usage(ManagedPolicyRecord policy, string account)
    {
        var boundaries = 0;
        foreach (var user in _store.Users(account, "/"))
        {
            boundaries += user.PermissionsBoundary == policy.Arn ? 1 : 0;
        }

        foreach (var role in _store.Roles(account, "/"))
        {
            boundaries += role.PermissionsBoundary == policy.Arn ? 1 : 0;
        }

        return (_store.AttachmentCount(policy.Arn, account), boundaries);
    }

    private static void WritePolicy(XmlWriter w, string element, ManagedPolicyRecord policy, int attachments, int boundaries, bool withTags)
    {
        w.WriteStartElement(element);
        WritePolicyFields(w, policy, attachments, boundaries, withTags);
        w.WriteEndElement();
    }

    private static void WritePolicyFields(XmlWriter w, ManagedPolicyRecord policy, int attachments, int boundaries, bool withTags)
    {
        w.WriteElementString("PolicyName", policy.PolicyName);
        w.WriteElementString("PolicyId", policy.PolicyId);
        w.WriteElementString("Arn", policy.Arn);
        w.WriteElementString("Path", policy.Path);
        w.WriteElementString("DefaultVersionId", policy.DefaultVersionId);
        w.WriteElementString("AttachmentCount", attachments.ToString(CultureInfo.InvariantCulture));
        w.WriteElementString("PermissionsBoundaryUsageCount", boundaries.ToString(CultureInfo.InvariantCulture));
        w.WriteElementString("IsAttachable", "true");
        if (policy.Description is not null)
        {
            w.WriteElementString("Description", policy.Description);
        }

        w.WriteElementString("CreateDate", Timestamp(policy.Created));
        w.WriteElementString("UpdateDate", Timestamp(policy.Updated));
        if (withTags)
        {
            WriteTags(w, policy.Tags);
        }
    }

    private static void WriteVersion(XmlWriter w, PolicyVersionRecord version, bool isDefault, bool withDocument)
    {
        w.WriteStartElement("PolicyVersion");
        WriteVersionFields(w, version, isDefault, withDocument);
        w.WriteEndElement();
    }

    private static void WriteVersionFields(XmlWriter w, PolicyVersionRecord version, bool isDefault, bool withDocument)
    {
        if (withDocument)
        {
            w.WriteElementString("Document", Encoded(version.Document));
        }

        w.WriteElementString("VersionId", version.VersionId);
        w.WriteElementString("IsDefaultVersion", isDefault ? "true" : "false");
        w.WriteElementString("CreateDate", Timestamp(version.Created));
    }

    [GeneratedRegex(@"^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$")]
    private static partial Regex VersionIdPattern();
}
