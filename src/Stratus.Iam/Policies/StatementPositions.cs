using System.Text;
using System.Text.Json;

namespace Stratus.Iam.Policies;

/// <summary>Where each statement of a policy starts and ends in its text, as line and column (from 1).</summary>
internal static class StatementPositions
{
    /// <summary>The start (its <c>{</c>) and end (after its <c>}</c>) of every statement, in order; empty if the text cannot be read.</summary>
    public static List<(TextPosition Start, TextPosition End)> Of(string json)
    {
        var positions = new List<(TextPosition, TextPosition)>();
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            // Depth 1 properties of the document; find "Statement".
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("Statement"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        positions.Add(Span(ref reader, bytes));
                    }
                    else if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.StartObject)
                            {
                                positions.Add(Span(ref reader, bytes));
                            }
                        }
                    }

                    break;
                }
            }
        }
        catch (JsonException)
        {
            positions.Clear();
        }

        return positions;
    }

    private static (TextPosition, TextPosition) Span(ref Utf8JsonReader reader, byte[] bytes)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.TokenStartIndex + 1;
        return (At(bytes, start), At(bytes, end));
    }

    // Columns count characters, not bytes.
    private static TextPosition At(byte[] bytes, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new TextPosition(line, Encoding.UTF8.GetCharCount(bytes, lineStart, offset - lineStart) + 1);
    }
}
