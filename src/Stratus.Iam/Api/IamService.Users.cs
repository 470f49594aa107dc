using Stratus.Iam.Users;
using Stratus.Protocol.Pipeline;

namespace Stratus.Iam.Api;

/// <summary>UpdateUser (rename and move) and GetAccessKeyLastUsed.</summary>
public sealed partial class IamService
{
    private void RegisterUserExtras()
    {
        RegisterOn("UpdateUser", "iam:UpdateUser", UserArnOf, async (input, context) =>
        {
            var name = Name(input, "UserName", 64);
            var newName = input.Parameters.Get("NewUserName") is null ? null : Name(input, "NewUserName", 64);
            var newPath = input.Parameters.Get("NewPath") is null ? null : PathParameter(input, "NewPath");
            await _store.UpdateUserNameAsync(context.Account, name, newName, newPath).ConfigureAwait(false);
            return Empty();
        });
        RegisterOn("GetAccessKeyLastUsed", "iam:GetAccessKeyLastUsed", KeyOwnerArn, (input, _) =>
        {
            var id = input.RequiredParameter("AccessKeyId");
            var key = _store.FindAccessKey(id) ?? throw IamErrors.NoSuchEntity($"The Access Key with id {id} cannot be found.");
            var use = _store.LastUse(id);
            return Task.FromResult(new QueryResult(w =>
            {
                w.WriteElementString("UserName", key.UserName);
                w.WriteStartElement("AccessKeyLastUsed");
                if (use is not null)
                {
                    w.WriteElementString("LastUsedDate", Timestamp(use.At));
                }

                w.WriteElementString("ServiceName", use?.Service ?? "N/A");
                w.WriteElementString("Region", use?.Region ?? "N/A");
                w.WriteEndElement();
            }));
        });
    }

    // The resource of GetAccessKeyLastUsed is the user owning the key.
    private string KeyOwnerArn(OperationInput input, RequestContext context) =>
        input.Parameters.Get("AccessKeyId") is { } id && _store.FindAccessKey(id) is { } key && _store.FindUser(key.Account, key.UserName) is { } user
            ? user.Arn
            : $"arn:aws:iam::{context.Account}:user/*";
}
