using System.Net;

namespace Stratus.Iam.Policies;

/// <summary>The value(s) of one request context key; multivalued keys (<c>aws:TagKeys</c>) hold several.</summary>
public sealed class ContextValue
{
    private IpValue[]? _addresses;

    public ContextValue(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
    }

    /// <summary>The values as text, in request order.</summary>
    public IReadOnlyList<string> Values { get; }

    internal int Count => Values.Count;

    internal string this[int index] => Values[index];

    // Parsed once per request on first use, so that IpAddress conditions allocate nothing per statement.
    internal IpValue AddressAt(int index)
    {
        var addresses = _addresses;
        if (addresses is null)
        {
            addresses = new IpValue[Values.Count];
            for (var i = 0; i < addresses.Length; i++)
            {
                addresses[i] = IPAddress.TryParse(Values[i], out var parsed) ? IpValue.From(parsed) : default;
            }

            _addresses = addresses;
        }

        return addresses[index];
    }
}
