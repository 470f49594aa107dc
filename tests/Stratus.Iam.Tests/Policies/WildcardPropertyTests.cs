using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Stratus.Iam.Policies;

namespace Stratus.Iam.Tests.Policies;

/// <summary>The glob matcher against a regular expression built from the same pattern, as a reference model.</summary>
public sealed class WildcardPropertyTests
{
    private static readonly Gen<string> Pattern = Gen.String[Gen.Char["ab*?/:"], 0, 10];
    private static readonly Gen<string> Value = Gen.String[Gen.Char["abAB/:"], 0, 12];

    private static bool Reference(string pattern, string value, bool ignoreCase)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        }

        regex.Append('$');
        return Regex.IsMatch(value, regex.ToString(), (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    [Fact]
    public void Glob_matching_agrees_with_a_regular_expression()
    {
        Gen.Select(Pattern, Value, Gen.Bool).Sample((pattern, value, ignoreCase) =>
            WildcardPattern.Compile(pattern, wildcards: true, variables: false, ignoreCase).IsMatch(value, null) == Reference(pattern, value, ignoreCase),
            iter: 20_000);
    }

    [Fact]
    public void A_variable_matches_exactly_the_text_it_resolves_to()
    {
        Gen.Select(Pattern, Value, Gen.String[Gen.Char["ab*?"], 0, 4]).Sample((pattern, value, username) =>
        {
            var context = new AuthorizationContextBuilder(Requests.User(), "s3:GetObject").Set("test:v", username).Build();
            // The resolved text is literal: its '*' and '?' are not wildcards, so escape them for the reference.
            var withVariable = WildcardPattern.Compile(pattern + "${test:v}", wildcards: true, variables: true, ignoreCase: false).IsMatch(value, context);
            var escaped = new StringBuilder("^");
            foreach (var c in pattern)
            {
                escaped.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
            }

            escaped.Append(Regex.Escape(username)).Append('$');
            return withVariable == Regex.IsMatch(value, escaped.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        }, iter: 10_000);
    }
}
