using System.Net;

namespace Stratus.Iam.Policies;

/// <summary>
/// The value(s) of one request context key; multivalued keys (<c>aws:TagKeys</c>) hold several. Parsed forms are
/// cached on first use; a value may be shared between requests (the time keys are), so the caches are published safely.
/// </summary>
public sealed class ContextValue
{
    private IpValue[]? _addresses;
    private (bool Valid, DateTimeOffset Value)[]? _dates;
    private (bool Valid, double Value)[]? _numbers;

    public ContextValue(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
    }

    // Shares the caller's list (a service's condition key values) instead of copying it.
    internal ContextValue(IReadOnlyList<string> values) => Values = values;

    /// <summary>The values as text, in request order.</summary>
    public IReadOnlyList<string> Values { get; }

    internal int Count => Values.Count;

    internal string this[int index] => Values[index];

    // Parsed once per request on first use: date parsing costs more than the rest of a statement.
    internal bool TryGetDate(int index, out DateTimeOffset date)
    {
        var dates = Volatile.Read(ref _dates);
        if (dates is null)
        {
            dates = new (bool, DateTimeOffset)[Values.Count];
            for (var i = 0; i < dates.Length; i++)
            {
                dates[i].Valid = ConditionClause.TryParseDate(Values[i], out dates[i].Value);
            }

            Volatile.Write(ref _dates, dates);
        }

        date = dates[index].Value;
        return dates[index].Valid;
    }

    internal bool TryGetNumber(int index, out double number)
    {
        var numbers = Volatile.Read(ref _numbers);
        if (numbers is null)
        {
            numbers = new (bool, double)[Values.Count];
            for (var i = 0; i < numbers.Length; i++)
            {
                numbers[i].Valid = ConditionClause.TryParseNumber(Values[i], out numbers[i].Value);
            }

            Volatile.Write(ref _numbers, numbers);
        }

        number = numbers[index].Value;
        return numbers[index].Valid;
    }

    // Parsed once per request on first use, so that IpAddress conditions allocate nothing per statement.
    internal IpValue AddressAt(int index)
    {
        var addresses = Volatile.Read(ref _addresses);
        if (addresses is null)
        {
            addresses = new IpValue[Values.Count];
            for (var i = 0; i < addresses.Length; i++)
            {
                addresses[i] = IPAddress.TryParse(Values[i], out var parsed) ? IpValue.From(parsed) : default;
            }

            Volatile.Write(ref _addresses, addresses);
        }

        return addresses[index];
    }
}
