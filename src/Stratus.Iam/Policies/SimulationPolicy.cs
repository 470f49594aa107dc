namespace Stratus.Iam.Policies;

/// <summary>A policy given to the simulator: how results name it (SourcePolicyId and SourcePolicyType) and its text.</summary>
/// <param name="Id">The SourcePolicyId reported for its statements (<c>PolicyInputList.1</c>, an inline policy's name…).</param>
/// <param name="SourceType">user, group, role, aws-managed, user-managed, resource or none.</param>
/// <param name="Text">The policy document.</param>
public sealed record SimulationPolicy(string Id, string SourceType, string Text);
