namespace Stratus.Iam.Policies;

/// <summary>A statement that decided a simulated request, and where it is in its policy's text.</summary>
public sealed record SimulatedStatement(string SourcePolicyId, string SourcePolicyType, TextPosition Start, TextPosition End);
