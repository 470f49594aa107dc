namespace Stratus.Protocol.Auth;

/// <summary>The three ways authentication of a request ends.</summary>
public enum AuthOutcome
{
    /// <summary>No SigV4 material at all: the request goes on as the anonymous caller.</summary>
    Anonymous,

    /// <summary>The signature was verified.</summary>
    Authenticated,

    /// <summary>The request carried credentials that did not verify; see <see cref="AuthResult.Failure"/>.</summary>
    Failed,
}
