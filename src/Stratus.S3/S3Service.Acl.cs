using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Stratus.Core;
using Stratus.Protocol.Pipeline;
using Stratus.S3.Metadata;
using Stratus.S3.Responses;
using Stratus.Storage.Lsm;

namespace Stratus.S3;

/// <summary>
/// Object ownership and ACLs. A bucket is BucketOwnerEnforced unless configured otherwise: its ACLs are disabled (any ACL
/// but private or bucket-owner-full-control is refused with AccessControlListNotSupported, and none is stored). Under
/// BucketOwnerPreferred, ObjectWriter or no ownership controls, bucket and object ACLs are stored and enforced by turning
/// their grants into statements of the resource policy the authorizer evaluates (<see cref="WithAclGrants"/>).
/// </summary>
public sealed partial class S3Service
{
    private const string Enforced = "BucketOwnerEnforced";
    private const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    private const string AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    private const string LogDelivery = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    private static readonly string[] OwnershipValues = [Enforced, "BucketOwnerPreferred", "ObjectWriter"];
    private static readonly string[] Permissions = ["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"];
    private static readonly string[] GroupUris = [AllUsers, AuthenticatedUsers, LogDelivery];

    private static readonly (string Header, string Permission)[] GrantHeaders =
    [
        ("x-amz-grant-full-control", "FULL_CONTROL"), ("x-amz-grant-read", "READ"), ("x-amz-grant-write", "WRITE"),
        ("x-amz-grant-read-acp", "READ_ACP"), ("x-amz-grant-write-acp", "WRITE_ACP"),
    ];

    private void RegisterAcl()
    {
        Register<(string Bucket, Stream Body), HeadersResponse>(
            "PutBucketOwnershipControls",
            static input => (Label(input, "Bucket"), input.Body),
            (request, _) => OnBucket("s3:PutBucketOwnershipControls", request.Bucket),
            async (request, _, cancellationToken) =>
            {
                RequireBucket(request.Bucket);
                var root = await ReadConfigurationAsync(request.Body, "OwnershipControls", cancellationToken).ConfigureAwait(false);
                var rules = Elements(root, "Rule").ToList();
                var value = rules.Count == 1 ? Element(rules[0], "ObjectOwnership")?.Value : null;
                if (value is null || !OwnershipValues.Contains(value, StringComparer.Ordinal))
                {
                    throw ProtocolErrors.MalformedXml("OwnershipControls needs one Rule with an ObjectOwnership of BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter.");
                }

                await WriteSettingAsync(BucketSettingKeys.Ownership, request.Bucket, new OwnershipControls { ObjectOwnership = value }, BucketSettingsJsonContext.Default.OwnershipControls).ConfigureAwait(false);
                return new HeadersResponse(200);
            });
        Register<string, XmlResponse>(
            "GetBucketOwnershipControls",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketOwnershipControls", bucket),
            (bucket, _, _) =>
            {
                RequireBucket(bucket);
                var ownership = ObjectOwnership(bucket)
                    ?? throw new AwsException("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", 404) { Details = [new("BucketName", bucket)] };
                return ValueTask.FromResult(new XmlResponse("OwnershipControls", w =>
                {
                    w.WriteStartElement("Rule");
                    w.WriteElementString("ObjectOwnership", ownership);
                    w.WriteEndElement();
                }));
            });
        Register<string, HeadersResponse>(
            "DeleteBucketOwnershipControls",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:PutBucketOwnershipControls", bucket),
            async (bucket, _, _) =>
            {
                RequireBucket(bucket);
                await WriteSettingAsync(BucketSettingKeys.Ownership, bucket, new OwnershipControls(), BucketSettingsJsonContext.Default.OwnershipControls).ConfigureAwait(false);
                return new HeadersResponse(204);
            });

        Register<AclRequest, HeadersResponse>(
            "PutBucketAcl",
            static input => new AclRequest(Label(input, "Bucket"), null, input.Body, input.Headers),
            (request, _) => OnBucket("s3:PutBucketAcl", request.Bucket),
            async (request, context, cancellationToken) =>
            {
                var owner = RequireBucket(request.Bucket).Owner;
                var acl = await RequestedAclAsync(request, owner, owner, cancellationToken).ConfigureAwait(false)
                    ?? throw new AwsException("MissingSecurityHeader", "Your request was missing a required header", 400) { Details = [new("MissingHeaderName", "x-amz-acl")] };
                var stored = AclToStore(request.Bucket, owner, acl, objectAcl: false);
                if (stored is null)
                {
                    await DeleteSettingAsync(BucketSettingKeys.Acl, request.Bucket).ConfigureAwait(false);
                }
                else
                {
                    await WriteSettingAsync(BucketSettingKeys.Acl, request.Bucket, stored, BucketSettingsJsonContext.Default.AccessControlList).ConfigureAwait(false);
                }

                return new HeadersResponse(200);
            });
        Register<string, XmlResponse>(
            "GetBucketAcl",
            static input => Label(input, "Bucket"),
            (bucket, _) => OnBucket("s3:GetBucketAcl", bucket),
            (bucket, _, _) =>
            {
                var owner = RequireBucket(bucket).Owner;
                var acl = (ObjectOwnership(bucket) == Enforced ? null : FindBucketAcl(bucket)) ?? OwnerOnly(owner);
                return ValueTask.FromResult(new XmlResponse("AccessControlPolicy", w => WriteAcl(w, acl)));
            });
        Register<AclRequest, HeadersResponse>(
            "PutObjectAcl",
            static input => new AclRequest(Label(input, "Bucket"), ObjectKey(input), input.Body, input.Headers, input.Parameters.Get("versionId")),
            (request, _) => OnObjectVersion("s3:PutObjectAcl", "s3:PutObjectVersionAcl", request.Bucket, request.Key!, request.VersionId),
            PutObjectAclAsync);
        Register<(string Bucket, string Key, string? VersionId), XmlResponse>(
            "GetObjectAcl",
            static input => (Label(input, "Bucket"), ObjectKey(input), input.Parameters.Get("versionId")),
            (request, _) => OnObjectVersion("s3:GetObjectAcl", "s3:GetObjectVersionAcl", request.Bucket, request.Key, request.VersionId),
            (request, _, _) =>
            {
                var bucket = RequireBucket(request.Bucket);
                var record = ReadableVersion(bucket, request.Key, request.VersionId, "GET");
                var acl = ObjectOwnership(request.Bucket) == Enforced ? OwnerOnly(bucket.Owner) : record.Acl ?? OwnerOnly(record.Owner);
                return ValueTask.FromResult(new XmlResponse("AccessControlPolicy", w => WriteAcl(w, acl)));
            });
    }

    private async ValueTask<HeadersResponse> PutObjectAclAsync(AclRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var bucket = RequireBucket(request.Bucket);
        var version = ReadableVersion(bucket, request.Key!, request.VersionId, "PUT");
        var requested = await RequestedAclAsync(request, version.Owner, bucket.Owner, cancellationToken).ConfigureAwait(false)
            ?? throw new AwsException("MissingSecurityHeader", "Your request was missing a required header", 400) { Details = [new("MissingHeaderName", "x-amz-acl")] };
        var acl = AclToStore(request.Bucket, bucket.Owner, requested, objectAcl: true);

        // The version's record is rewritten where it lives (its versions entry and, for the current one, the live record).
        await UpdateVersionAsync(bucket, request.Key!, request.VersionId, "PUT", record => record.Acl = acl).ConfigureAwait(false);
        return new HeadersResponse(200);
    }

    /// <summary>
    /// The ACL a PutObject, CopyObject or CreateMultipartUpload asks for (x-amz-acl or x-amz-grant-* headers), checked
    /// against the bucket's ownership and public access block; null when none is asked for or ACLs are disabled.
    /// </summary>
    private AccessControlList? ObjectAclForWrite(string bucket, IHeaderDictionary headers, RequestContext context)
    {
        if (!headers.ContainsKey("x-amz-acl") && !GrantHeaders.Any(g => headers.ContainsKey(g.Header)))
        {
            return null;
        }

        var bucketOwner = RequireBucket(bucket).Owner;
        var acl = AclFromHeaders(headers, context.Account, bucketOwner);
        return acl is null ? null : AclToStore(bucket, bucketOwner, acl, objectAcl: true);
    }

    /// <summary>The settings a CreateBucket's x-amz-object-ownership, x-amz-acl and x-amz-grant-* headers ask for, validated, added to its batch.</summary>
    private static void AddCreationSettings(WriteBatch batch, string bucket, IHeaderDictionary headers, string owner)
    {
        var ownership = headers["x-amz-object-ownership"].ToString();
        if (ownership.Length > 0 && !OwnershipValues.Contains(ownership, StringComparer.Ordinal))
        {
            throw S3Errors.InvalidArgument($"Invalid x-amz-object-ownership header: {ownership}", "x-amz-object-ownership", ownership);
        }

        var acl = AclFromHeaders(headers, owner, owner);
        if (acl is not null && !IsOwnerOnly(acl, owner, owner) && ownership is "" or Enforced)
        {
            throw new AwsException("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
        }

        if (ownership.Length > 0)
        {
            batch.Put(BucketSettingKeys.Of(BucketSettingKeys.Ownership, bucket), JsonSerializer.SerializeToUtf8Bytes(new OwnershipControls { ObjectOwnership = ownership }, BucketSettingsJsonContext.Default.OwnershipControls));
        }

        if (acl is not null && !IsOwnerOnly(acl, owner, owner))
        {
            batch.Put(BucketSettingKeys.Of(BucketSettingKeys.Acl, bucket), JsonSerializer.SerializeToUtf8Bytes(acl, BucketSettingsJsonContext.Default.AccessControlList));
        }
    }

    /// <summary>
    /// Who owns an object that <paramref name="writer"/> stores with <paramref name="acl"/>, and the ACL as stored: under
    /// BucketOwnerEnforced the bucket owner; under BucketOwnerPreferred the bucket owner when the ACL gives it FULL_CONTROL
    /// (what <c>bucket-owner-full-control</c> asks for), the ACL then naming it as owner; otherwise the writer. Only a
    /// write from another account than the bucket's reads the ownership setting.
    /// </summary>
    private (string Owner, AccessControlList? Acl) ObjectOwner(string bucket, string writer, AccessControlList? acl)
    {
        var bucketOwner = RequireBucket(bucket).Owner;
        if (writer == bucketOwner)
        {
            return (writer, acl);
        }

        return ObjectOwnership(bucket) switch
        {
            Enforced => (bucketOwner, acl),
            "BucketOwnerPreferred" when acl is not null && acl.Grants.Any(g => g.Id == bucketOwner && g.Permission == "FULL_CONTROL") =>
                (bucketOwner, new AccessControlList { Owner = bucketOwner, Grants = acl.Grants }),
            _ => (writer, acl),
        };
    }

    /// <summary>The bucket's object ownership: BucketOwnerEnforced until configured, null after its controls are deleted.</summary>
    private string? ObjectOwnership(string bucket) =>
        ReadSetting(BucketSettingKeys.Ownership, bucket, BucketSettingsJsonContext.Default.OwnershipControls) is { } controls ? controls.ObjectOwnership : Enforced;

    private AccessControlList? FindBucketAcl(string bucket) =>
        ReadSetting(BucketSettingKeys.Acl, bucket, BucketSettingsJsonContext.Default.AccessControlList);

    // Applies ownership and the public access block to a requested ACL: what is left to store (null for none).
    private AccessControlList? AclToStore(string bucket, string bucketOwner, AccessControlList acl, bool objectAcl)
    {
        if (ObjectOwnership(bucket) == Enforced)
        {
            return IsOwnerOnly(acl, acl.Owner, bucketOwner)
                ? null
                : throw new AwsException("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
        }

        if (FindPublicAccessBlock(bucket) is { BlockPublicAcls: true } && acl.Grants.Any(IsPublicGrant))
        {
            throw new AwsException("AccessDenied", "Access Denied", 403);
        }

        return !objectAcl && IsOwnerOnly(acl, bucketOwner, bucketOwner) ? null : acl;
    }

    // The ACL a Put*Acl asks for: canned header, grant headers, or an AccessControlPolicy body (exactly one of them).
    private static async Task<AccessControlList?> RequestedAclAsync(AclRequest request, string owner, string bucketOwner, CancellationToken cancellationToken)
    {
        var fromHeaders = AclFromHeaders(request.Headers, owner, bucketOwner);
        var hasBody = request.Headers.ContentLength is > 0 || request.Headers.ContainsKey("x-amz-decoded-content-length") || request.Headers.TransferEncoding.Count > 0;
        if (!hasBody)
        {
            return fromHeaders;
        }

        if (fromHeaders is not null)
        {
            throw new AwsException("UnexpectedContent", "This request does not support content", 400);
        }

        var root = await ReadConfigurationAsync(request.Body, "AccessControlPolicy", cancellationToken).ConfigureAwait(false);
        return ParseAccessControlPolicy(root);
    }

    private static AccessControlList? AclFromHeaders(IHeaderDictionary headers, string owner, string bucketOwner)
    {
        var canned = headers["x-amz-acl"].ToString();
        var grants = new List<AclGrant>();
        foreach (var (header, permission) in GrantHeaders)
        {
            var value = headers[header].ToString();
            if (value.Length > 0)
            {
                grants.AddRange(ParseGrantHeader(header, value, permission));
            }
        }

        if (canned.Length > 0 && grants.Count > 0)
        {
            throw S3Errors.InvalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
        }

        if (grants.Count > 0)
        {
            return new AccessControlList { Owner = owner, Grants = grants };
        }

        return canned.Length == 0 ? null : CannedAcl(canned, owner, bucketOwner);
    }

    private static AccessControlList CannedAcl(string canned, string owner, string bucketOwner)
    {
        var grants = new List<AclGrant> { new() { Id = owner, Permission = "FULL_CONTROL" } };
        switch (canned)
        {
            case "private":
                break;
            case "public-read":
                grants.Add(new() { Uri = AllUsers, Permission = "READ" });
                break;
            case "public-read-write":
                grants.Add(new() { Uri = AllUsers, Permission = "READ" });
                grants.Add(new() { Uri = AllUsers, Permission = "WRITE" });
                break;
            case "authenticated-read":
                grants.Add(new() { Uri = AuthenticatedUsers, Permission = "READ" });
                break;
            case "bucket-owner-read":
                if (bucketOwner != owner)
                {
                    grants.Add(new() { Id = bucketOwner, Permission = "READ" });
                }

                break;
            case "bucket-owner-full-control":
                if (bucketOwner != owner)
                {
                    grants.Add(new() { Id = bucketOwner, Permission = "FULL_CONTROL" });
                }

                break;
            case "log-delivery-write":
                grants.Add(new() { Uri = LogDelivery, Permission = "WRITE" });
                grants.Add(new() { Uri = LogDelivery, Permission = "READ_ACP" });
                break;
            case "aws-exec-read":
                break;
            default:
                throw S3Errors.InvalidArgument($"The canned ACL {canned} is not valid.", "x-amz-acl", canned);
        }

        return new AccessControlList { Owner = owner, Grants = grants };
    }

    // x-amz-grant-read: id="111122223333", uri="http://acs.amazonaws.com/groups/global/AllUsers"
    private static IEnumerable<AclGrant> ParseGrantHeader(string header, string value, string permission)
    {
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var kind = equals < 0 ? "" : part[..equals].Trim().ToLowerInvariant();
            var grantee = equals < 0 ? "" : part[(equals + 1)..].Trim().Trim('"');
            yield return kind switch
            {
                "id" => Grant(grantee, null, permission),
                "uri" => Grant(null, grantee, permission),
                "emailaddress" => throw UnresolvableEmail(),
                _ => throw S3Errors.InvalidArgument($"Invalid grant in {header}: {part}", header, value),
            };
        }
    }

    private static AccessControlList ParseAccessControlPolicy(XElement root)
    {
        var owner = Element(root, "Owner") is { } ownerElement ? Element(ownerElement, "ID")?.Value : null;
        var list = Element(root, "AccessControlList");
        if (owner is null || list is null)
        {
            throw MalformedAcl();
        }

        var grants = new List<AclGrant>();
        foreach (var grant in Elements(list, "Grant"))
        {
            var grantee = Element(grant, "Grantee") ?? throw MalformedAcl();
            var permission = Element(grant, "Permission")?.Value ?? throw MalformedAcl();
            var type = grantee.Attribute(XName.Get("type", XsiNamespace))?.Value;
            grants.Add(type switch
            {
                "CanonicalUser" => Grant(Element(grantee, "ID")?.Value ?? throw MalformedAcl(), null, permission),
                "Group" => Grant(null, Element(grantee, "URI")?.Value ?? throw MalformedAcl(), permission),
                "AmazonCustomerByEmail" => throw UnresolvableEmail(),
                _ => throw MalformedAcl(),
            });
        }

        return new AccessControlList { Owner = owner, Grants = grants };
    }

    private static AclGrant Grant(string? id, string? uri, string permission)
    {
        if (!Permissions.Contains(permission, StringComparer.Ordinal))
        {
            throw MalformedAcl();
        }

        if (uri is not null && !GroupUris.Contains(uri, StringComparer.Ordinal))
        {
            throw S3Errors.InvalidArgument("Invalid group uri", "uri", uri);
        }

        if (id is not null && !Core.AccountId.IsValid(id))
        {
            throw S3Errors.InvalidArgument("Invalid id", "CanonicalUser/ID", id);
        }

        return new AclGrant { Id = id, Uri = uri, Permission = permission };
    }

    private static AwsException MalformedAcl() =>
        new("MalformedACLError", "The XML you provided was not well-formed or did not validate against our published schema", 400);

    private static AwsException UnresolvableEmail() =>
        new("UnresolvableGrantByEmailAddress", "The e-mail address you provided does not match any account on record.", 400);

    private static AccessControlList OwnerOnly(string owner) => new() { Owner = owner, Grants = [new() { Id = owner, Permission = "FULL_CONTROL" }] };

    // Grants full control to the owner and the bucket owner only: what "private" and "bucket-owner-full-control" mean.
    private static bool IsOwnerOnly(AccessControlList acl, string owner, string bucketOwner) =>
        acl.Grants.All(g => g.Uri is null && g.Permission == "FULL_CONTROL" && (g.Id == owner || g.Id == bucketOwner));

    private static bool IsPublicGrant(AclGrant grant) => grant.Uri is AllUsers or AuthenticatedUsers;

    private static void WriteAcl(XmlWriter w, AccessControlList acl)
    {
        w.WriteStartElement("Owner");
        w.WriteElementString("ID", acl.Owner);
        w.WriteElementString("DisplayName", acl.Owner);
        w.WriteEndElement();
        w.WriteStartElement("AccessControlList");
        foreach (var grant in acl.Grants)
        {
            w.WriteStartElement("Grant");
            w.WriteStartElement("Grantee", S3Xml.Namespace);
            w.WriteAttributeString("xmlns", "xsi", null, XsiNamespace);
            w.WriteAttributeString("xsi", "type", XsiNamespace, grant.Uri is null ? "CanonicalUser" : "Group");
            if (grant.Uri is null)
            {
                w.WriteElementString("ID", grant.Id);
                w.WriteElementString("DisplayName", grant.Id);
            }
            else
            {
                w.WriteElementString("URI", grant.Uri);
            }

            w.WriteEndElement();
            w.WriteElementString("Permission", grant.Permission);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    /// <summary>
    /// <paramref name="policy"/> plus one Allow statement per ACL grant that counts: the bucket's ACL, and for an object
    /// ARN the object's, unless ownership disables ACLs; grants to everyone or to any AWS account are left out under
    /// IgnorePublicAcls. Grants to the bucket owner add nothing (its account already has its own resources).
    /// </summary>
    private string? WithAclGrants(string bucket, string? key, string? policy, PublicAccessBlock? block)
    {
        if (ObjectOwnership(bucket) == Enforced || FindBucket(bucket) is not { } record)
        {
            return policy;
        }

        var statements = new JsonArray();
        var ignorePublic = block is { IgnorePublicAcls: true };
        if (FindBucketAcl(bucket) is { } bucketAcl)
        {
            AddGrantStatements(statements, bucketAcl, record.Owner, ignorePublic, BucketArn(bucket), objectLevel: false);
        }

        if (key is not null && FindObject(bucket, key)?.Acl is { } objectAcl)
        {
            AddGrantStatements(statements, objectAcl, record.Owner, ignorePublic, ObjectArn(bucket, key), objectLevel: true);
        }

        if (statements.Count == 0)
        {
            return policy;
        }

        var document = policy is null ? new JsonObject { ["Version"] = "2012-10-17" } : JsonNode.Parse(policy)!.AsObject();
        var existing = document["Statement"] switch
        {
            JsonArray array => array,
            JsonNode single => new JsonArray(single.DeepClone()),
            null => [],
        };
        foreach (var statement in statements)
        {
            existing.Add(statement!.DeepClone());
        }

        document["Statement"] = existing;
        return document.ToJsonString();
    }

    private static void AddGrantStatements(JsonArray statements, AccessControlList acl, string bucketOwner, bool ignorePublic, string arn, bool objectLevel)
    {
        foreach (var grant in acl.Grants)
        {
            if (grant.Id == bucketOwner || grant.Uri == LogDelivery || (ignorePublic && IsPublicGrant(grant)))
            {
                continue;
            }

            var (actions, resources) = GrantedActions(grant.Permission, arn, objectLevel);
            if (actions.Length == 0)
            {
                continue;
            }

            var statement = new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = grant.Uri switch
                {
                    AllUsers => "*",
                    AuthenticatedUsers => new JsonObject { ["AWS"] = "*" },
                    _ => new JsonObject { ["AWS"] = "arn:aws:iam::" + grant.Id + ":root" },
                },
                ["Action"] = new JsonArray([.. actions.Select(a => (JsonNode)a)]),
                ["Resource"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
            };
            if (grant.Uri == AuthenticatedUsers)
            {
                // Any AWS account, but not an anonymous caller: those carry no principal account.
                statement["Condition"] = new JsonObject { ["Null"] = new JsonObject { ["aws:PrincipalAccount"] = "false" } };
            }

            statements.Add(statement);
        }
    }

    // What an ACL permission lets its grantee do, as IAM actions (S3's documented mapping of ACL permissions).
    private static (string[] Actions, string[] Resources) GrantedActions(string permission, string arn, bool objectLevel)
    {
        if (objectLevel)
        {
            return (permission switch
            {
                "READ" => ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes"],
                "READ_ACP" => ["s3:GetObjectAcl", "s3:GetObjectVersionAcl"],
                "WRITE_ACP" => ["s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
                "FULL_CONTROL" => ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes", "s3:GetObjectAcl", "s3:GetObjectVersionAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
                _ => [],
            }, [arn]);
        }

        return permission switch
        {
            "READ" => (["s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"], [arn]),
            "WRITE" => (["s3:PutObject", "s3:DeleteObject"], [arn + "/*"]),
            "READ_ACP" => (["s3:GetBucketAcl"], [arn]),
            "WRITE_ACP" => (["s3:PutBucketAcl"], [arn]),
            _ => (["s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads", "s3:PutObject", "s3:DeleteObject", "s3:GetBucketAcl", "s3:PutBucketAcl"], [arn, arn + "/*"]),
        };
    }

    private sealed record AclRequest(string Bucket, string? Key, Stream Body, IHeaderDictionary Headers, string? VersionId = null);
}
