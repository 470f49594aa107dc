namespace Stratus.Iam.Policies;

/// <summary>A line and column in a policy's text, both from 1.</summary>
public readonly record struct TextPosition(int Line, int Column);
