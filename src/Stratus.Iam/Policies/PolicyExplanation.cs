using System.Text;

namespace Stratus.Iam.Policies;

/// <summary>Why the evaluator decided as it did: every statement it looked at, and the one that decided.</summary>
public sealed class PolicyExplanation
{
    private readonly List<StatementExplanation> _statements = [];

    /// <summary>Every statement of every policy, per resource, in evaluation order.</summary>
    public IReadOnlyList<StatementExplanation> Statements => _statements;

    public Decision Decision { get; internal set; }

    /// <summary>The statement that decided (the Deny that matched, or the Allow that granted); null for an implicit deny or the root's own access.</summary>
    public StatementExplanation? DecidingStatement { get; internal set; }

    /// <summary>A sentence saying why.</summary>
    public string Reason { get; internal set; } = "";

    /// <summary>The statements that matched.</summary>
    public IEnumerable<StatementExplanation> Matched
    {
        get
        {
            foreach (var statement in _statements)
            {
                if (statement.Outcome == StatementOutcome.Matched)
                {
                    yield return statement;
                }
            }
        }
    }

    internal void Add(StatementExplanation statement) => _statements.Add(statement);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Decision).Append(": ").AppendLine(Reason);
        foreach (var statement in _statements)
        {
            text.Append(statement == DecidingStatement ? "=> " : "   ").AppendLine(statement.ToString());
        }

        return text.ToString();
    }
}
