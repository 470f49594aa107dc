using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Stratus.Iam.Policies;

/// <summary>A CIDR block (<c>203.0.113.0/24</c>, <c>2001:db8::/32</c>); a bare address is a /32 or /128.</summary>
internal readonly record struct IpRange(UInt128 Network, UInt128 Mask, bool IsV6)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out IpRange? range)
    {
        range = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var ip = IpValue.From(address);
        var width = ip.IsV6 ? 128 : 32;
        var prefix = width;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out prefix) || prefix > width))
        {
            return false;
        }

        var all = ip.IsV6 ? UInt128.MaxValue : uint.MaxValue;
        var mask = prefix == 0 ? UInt128.Zero : (all << (width - prefix)) & all;
        range = new IpRange(ip.Bits & mask, mask, ip.IsV6);
        return true;
    }

    public bool Contains(IpValue address) => address.IsValid && address.IsV6 == IsV6 && (address.Bits & Mask) == Network;
}
