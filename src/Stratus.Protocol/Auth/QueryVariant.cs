namespace Stratus.Protocol.Auth;

/// <summary>Readings of an ambiguous query that AWS also accepts, tried only after the standard one fails.</summary>
[Flags]
internal enum QueryVariant
{
    /// <summary>'+' is a literal plus; every parameter but X-Amz-Signature is signed.</summary>
    Standard = 0,

    /// <summary>X-Amz-Security-Token was appended after signing (presigned URLs of some signers).</summary>
    ExcludeSecurityToken = 1,

    /// <summary>'+' stands for a space (form encoding of the URL after signing with %20).</summary>
    PlusAsSpace = 2,
}
