using System.Globalization;
using System.Net;
using System.Xml;
using Stratus.Core;
using Stratus.Iam.Authorization;
using Stratus.Iam.Policies;
using Stratus.Iam.Users;
using Stratus.Protocol.Auth;
using Stratus.Protocol.Codecs;
using Stratus.Protocol.Pipeline;
using Stratus.Protocol.Services;

namespace Stratus.Iam.Api;

/// <summary>
/// The policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy answered by the real evaluator, and
/// GetContextKeysForPrincipalPolicy / GetContextKeysForCustomPolicy. Principals' policies come from
/// <see cref="IPolicySource"/>, so whatever the authorizer sees (inline, managed, group policies, boundaries), the
/// simulator sees too.
/// </summary>
public sealed partial class IamService
{
    private const int MaxSimulationResults = 1000;
    private static readonly HashSet<string> ContextKeyTypes = new(StringComparer.Ordinal)
    {
        "string", "stringList", "numeric", "numericList", "boolean", "booleanList", "ip", "ipList", "binary", "binaryList", "date", "dateList",
    };

    private readonly IPolicySource? _policySource;

    /// <summary>The IAM API with the policy simulator, which reads principals' policies from <paramref name="policies"/>.</summary>
    public IamService(IamStore store, IPolicySource policies)
        : this(store)
    {
        _policySource = policies;
        Register<OperationInput, QueryResult>(
            "SimulatePrincipalPolicy",
            static input => input,
            static (input, _) => new AuthorizationRequest("iam:SimulatePrincipalPolicy", [input.Parameters.Get("PolicySourceArn") ?? "*"]),
            (input, context, _) => ValueTask.FromResult(Simulate(input, context, principal: true)));
        Register<OperationInput, QueryResult>(
            "SimulateCustomPolicy",
            static input => input,
            static (_, _) => AuthorizationRequest.ForAction("iam:SimulateCustomPolicy"),
            (input, context, _) => ValueTask.FromResult(Simulate(input, context, principal: false)));
        Register<OperationInput, QueryResult>(
            "GetContextKeysForPrincipalPolicy",
            static input => input,
            static (input, _) => new AuthorizationRequest("iam:GetContextKeysForPrincipalPolicy", [input.Parameters.Get("PolicySourceArn") ?? "*"]),
            (input, context, _) => ValueTask.FromResult(ContextKeysResult(input, context, principal: true)));
        Register<OperationInput, QueryResult>(
            "GetContextKeysForCustomPolicy",
            static input => input,
            static (_, _) => AuthorizationRequest.ForAction("iam:GetContextKeysForCustomPolicy"),
            (input, context, _) => ValueTask.FromResult(ContextKeysResult(input, context, principal: false)));
    }

    private static AwsException InvalidInput(string message) => new("InvalidInput", message, 400);

    private QueryResult Simulate(OperationInput input, RequestContext context, bool principal)
    {
        var parameters = input.Parameters;
        var actions = parameters.GetList("ActionNames.member");
        if (actions.Count == 0)
        {
            throw IamErrors.Validation("1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
        }

        foreach (var action in actions)
        {
            if (action.Length is < 3 or > 128 || action.IndexOf(':', StringComparison.Ordinal) <= 0)
            {
                throw InvalidInput($"Invalid action name {action}: an action is service:Action, for example s3:GetObject.");
            }
        }

        var resources = parameters.GetList("ResourceArns.member");
        foreach (var resource in resources)
        {
            if (resource != "*" && !Arn.TryParse(resource, out _))
            {
                throw InvalidInput($"Invalid resource ARN {resource}.");
            }
        }

        var maxItems = input.IntegerParameter("MaxItems", 1, MaxSimulationResults) ?? 100;
        var start = 0;
        if (parameters.Get("Marker") is { } marker && (!int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start < 0))
        {
            throw InvalidInput("Invalid Marker.");
        }

        var inputs = parameters.GetList("PolicyInputList.member");
        if (!principal && inputs.Count == 0)
        {
            throw IamErrors.Validation("1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null");
        }

        var identity = new List<SimulationPolicy>();
        SimulationPolicy? boundary = null;
        CallerIdentity? source = null;
        if (principal)
        {
            source = PolicySource(parameters, context, out var policies);
            foreach (var document in policies?.Identity ?? [])
            {
                identity.Add(Described(document));
            }

            if (policies?.PermissionsBoundary is { } principalBoundary)
            {
                boundary = Described(principalBoundary);
            }
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            identity.Add(new SimulationPolicy($"PolicyInputList.{i + 1}", "none", inputs[i]));
        }

        var boundaries = parameters.GetList("PermissionsBoundaryPolicyInputList.member");
        if (boundaries.Count > 1)
        {
            throw InvalidInput("Only one permissions boundary policy may be given.");
        }

        if (boundaries.Count == 1)
        {
            boundary = new SimulationPolicy("PermissionsBoundaryPolicyInputList.1", "none", boundaries[0]);
        }

        var resourcePolicyText = parameters.Get("ResourcePolicy");
        var resourcePolicy = resourcePolicyText is null ? null : new SimulationPolicy("ResourcePolicy", "resource", resourcePolicyText);
        var caller = Caller(parameters.Get("CallerArn"), source, context, resourcePolicy is not null, out var unnamed);
        var owner = parameters.Get("ResourceOwner") is { } ownerText ? OwnerAccount(ownerText) : null;
        var entries = ContextEntries(parameters);

        List<SimulationResult> results;
        try
        {
            results = PolicySimulator.Simulate(caller, identity, boundary, resourcePolicy, actions, resources, owner, entries, unnamed);
        }
        catch (MalformedPolicyDocumentException error)
        {
            throw InvalidInput(error.Message);
        }

        var page = results.Skip(start).Take(maxItems).ToList();
        var truncated = start + page.Count < results.Count;
        var named = resources.Count != 0;
        return new QueryResult(w =>
        {
            w.WriteStartElement("EvaluationResults");
            foreach (var result in page)
            {
                w.WriteStartElement("member");
                w.WriteElementString("EvalActionName", result.Action);
                w.WriteElementString("EvalResourceName", result.Resource);
                w.WriteElementString("EvalDecision", result.Decision);
                WriteDetail(w, result, missing: !named);
                if (named)
                {
                    w.WriteStartElement("ResourceSpecificResults");
                    w.WriteStartElement("member");
                    w.WriteElementString("EvalResourceName", result.Resource);
                    w.WriteElementString("EvalResourceDecision", result.Decision);
                    WriteDetail(w, result, missing: true);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteElementString("IsTruncated", truncated ? "true" : "false");
            if (truncated)
            {
                w.WriteElementString("Marker", (start + page.Count).ToString(CultureInfo.InvariantCulture));
            }
        });
    }

    private QueryResult ContextKeysResult(OperationInput input, RequestContext context, bool principal)
    {
        var documents = new List<PolicyDocument>();
        if (principal)
        {
            PolicySource(input.Parameters, context, out var policies);
            documents.AddRange(policies?.Identity ?? []);
            if (policies?.PermissionsBoundary is { } boundary)
            {
                documents.Add(boundary);
            }
        }

        var inputs = input.Parameters.GetList("PolicyInputList.member");
        if (!principal && inputs.Count == 0)
        {
            throw IamErrors.Validation("1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null");
        }

        foreach (var text in inputs)
        {
            try
            {
                documents.Add(PolicyDocument.Parse(text, PolicyKind.Identity));
            }
            catch (MalformedPolicyDocumentException error)
            {
                throw InvalidInput(error.Message);
            }
        }

        var keys = PolicySimulator.ContextKeys(documents);
        return new QueryResult(w =>
        {
            w.WriteStartElement("ContextKeyNames");
            foreach (var key in keys)
            {
                w.WriteElementString("member", key);
            }

            w.WriteEndElement();
        });
    }

    // The principal named by PolicySourceArn (a user, or a role simulated as one of its sessions) and its policies.
    private CallerIdentity PolicySource(QueryParameters parameters, RequestContext context, out PrincipalPolicies? policies)
    {
        var text = parameters.Get("PolicySourceArn") ?? throw IamErrors.Validation("1 validation error detected: Value null at 'policySourceArn' failed to satisfy constraint: Member must not be null");
        if (!Arn.TryParse(text, out var parsed) || parsed.Value.Service != "iam")
        {
            throw InvalidInput($"Invalid ARN {text}: PolicySourceArn names an IAM user, group or role.");
        }

        var arn = parsed.Value;
        var account = arn.Account.Length == 0 ? context.Account : arn.Account;
        var name = arn.Resource[(arn.Resource.LastIndexOf('/') + 1)..];
        CallerIdentity identity;
        if (arn.Resource.StartsWith("user/", StringComparison.Ordinal))
        {
            var user = _store.FindUser(account, name) ?? throw IamErrors.NoSuchEntity($"The user with name {name} cannot be found.");
            identity = new CallerIdentity(account, user.Arn, user.UserId, PrincipalType.User);
        }
        else if (arn.Resource.StartsWith("role/", StringComparison.Ordinal))
        {
            identity = new CallerIdentity(account, $"arn:{arn.Partition}:sts::{account}:assumed-role/{name}/simulation", "", PrincipalType.AssumedRole);
        }
        else
        {
            throw InvalidInput($"Invalid ARN {text}: PolicySourceArn names an IAM user or role (groups cannot be simulated here yet).");
        }

        policies = _policySource?.GetPolicies(identity);
        if (policies is null && identity.Type == PrincipalType.AssumedRole)
        {
            throw IamErrors.NoSuchEntity($"The role with name {name} cannot be found.");
        }

        return identity;
    }

    // The simulated caller: CallerArn (a user), else the user whose policies are simulated, else an unnamed user.
    private CallerIdentity Caller(string? callerArn, CallerIdentity? source, RequestContext context, bool hasResourcePolicy, out bool unnamed)
    {
        unnamed = false;
        if (callerArn is not null)
        {
            if (!Arn.TryParse(callerArn, out var parsed) || parsed.Value.Service != "iam" || !parsed.Value.Resource.StartsWith("user/", StringComparison.Ordinal))
            {
                throw InvalidInput($"Invalid CallerArn {callerArn}: the caller must be an IAM user ARN.");
            }

            var account = parsed.Value.Account;
            var name = parsed.Value.Resource[(parsed.Value.Resource.LastIndexOf('/') + 1)..];
            var user = _store.FindUser(account, name);
            return new CallerIdentity(account, callerArn, user?.UserId ?? "", PrincipalType.User);
        }

        if (source is { Type: PrincipalType.User })
        {
            return source;
        }

        if (hasResourcePolicy)
        {
            throw InvalidInput("CallerArn is required when a ResourcePolicy is given, so that its Principal element has a caller to match.");
        }

        unnamed = true;
        return source ?? new CallerIdentity(context.Account, $"arn:aws:iam::{context.Account}:user/simulated-caller", "", PrincipalType.User);
    }

    private static string OwnerAccount(string owner)
    {
        if (owner.Length == 12 && owner.All(char.IsAsciiDigit))
        {
            return owner;
        }

        return Arn.TryParse(owner, out var arn) && arn.Value.Account.Length == 12
            ? arn.Value.Account
            : throw InvalidInput($"Invalid ResourceOwner {owner}: give the owning account as arn:aws:iam::ACCOUNT:root.");
    }

    private static List<KeyValuePair<string, string[]>> ContextEntries(QueryParameters parameters)
    {
        var entries = new List<KeyValuePair<string, string[]>>();
        for (var i = 1; parameters.Get($"ContextEntries.member.{i}.ContextKeyName") is { } name; i++)
        {
            if (name.Length is < 5 or > 256)
            {
                throw IamErrors.Validation($"1 validation error detected: Value '{name}' at 'contextEntries.{i}.member.contextKeyName' failed to satisfy constraint: Member must have length between 5 and 256");
            }

            var type = parameters.Get($"ContextEntries.member.{i}.ContextKeyType")
                ?? throw InvalidInput($"Context entry {name} has no ContextKeyType.");
            if (!ContextKeyTypes.Contains(type))
            {
                throw IamErrors.Validation($"1 validation error detected: Value '{type}' at 'contextEntries.{i}.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]");
            }

            var values = parameters.GetList($"ContextEntries.member.{i}.ContextKeyValues.member");
            if (values.Count == 0)
            {
                throw InvalidInput($"Context entry {name} has no ContextKeyValues.");
            }

            if (!type.EndsWith("List", StringComparison.Ordinal) && values.Count > 1)
            {
                throw InvalidInput($"Context entry {name} of type {type} takes one value; use {type}List for several.");
            }

            var scalar = type.EndsWith("List", StringComparison.Ordinal) ? type[..^4] : type;
            foreach (var value in values)
            {
                if (!ValidValue(scalar, value))
                {
                    throw InvalidInput($"Invalid value {value} for context key {name} of type {type}.");
                }
            }

            entries.Add(new(name, [.. values]));
        }

        return entries;
    }

    private static bool ValidValue(string type, string value) => type switch
    {
        "numeric" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        "boolean" => value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase),
        "ip" => IPAddress.TryParse(value.Split('/')[0], out _),
        "binary" => Convert.TryFromBase64String(value, new byte[value.Length], out _),
        "date" => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
            || long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ => true,
    };

    // How results name a principal's policy: inline "user/NAME#policy", or a managed policy's ARN.
    private static SimulationPolicy Described(PolicyDocument document)
    {
        var name = document.Name;
        var hash = name.LastIndexOf('#');
        if (hash >= 0)
        {
            var kind = name[..Math.Max(0, name.IndexOf('/', StringComparison.Ordinal))];
            return new SimulationPolicy(name[(hash + 1)..], kind is "user" or "group" or "role" ? kind : "none", document.Text);
        }

        if (name.StartsWith("arn:", StringComparison.Ordinal) && name.Contains(":policy/", StringComparison.Ordinal))
        {
            return new SimulationPolicy(name[(name.LastIndexOf('/') + 1)..], name.Contains(":aws:policy/", StringComparison.Ordinal) ? "aws-managed" : "user-managed", document.Text);
        }

        return new SimulationPolicy(name, "none", document.Text);
    }

    private static void WriteDetail(XmlWriter w, SimulationResult result, bool missing)
    {
        w.WriteStartElement("MatchedStatements");
        foreach (var statement in result.MatchedStatements)
        {
            w.WriteStartElement("member");
            w.WriteElementString("SourcePolicyId", statement.SourcePolicyId);
            w.WriteElementString("SourcePolicyType", statement.SourcePolicyType);
            WritePosition(w, "StartPosition", statement.Start);
            WritePosition(w, "EndPosition", statement.End);
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteStartElement("MissingContextValues");
        if (missing)
        {
            foreach (var key in result.MissingContextValues)
            {
                w.WriteElementString("member", key);
            }
        }

        w.WriteEndElement();
        if (result.DecisionDetails is { } details)
        {
            w.WriteStartElement("EvalDecisionDetails");
            foreach (var (source, decision) in details)
            {
                w.WriteStartElement("entry");
                w.WriteElementString("key", source);
                w.WriteElementString("value", decision);
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        if (result.AllowedByPermissionsBoundary is { } allowed)
        {
            w.WriteStartElement("PermissionsBoundaryDecisionDetail");
            w.WriteElementString("AllowedByPermissionsBoundary", allowed ? "true" : "false");
            w.WriteEndElement();
        }
    }

    private static void WritePosition(XmlWriter w, string element, TextPosition position)
    {
        w.WriteStartElement(element);
        w.WriteElementString("Line", position.Line.ToString(CultureInfo.InvariantCulture));
        w.WriteElementString("Column", position.Column.ToString(CultureInfo.InvariantCulture));
        w.WriteEndElement();
    }
}
