using System.Net;
using System.Net.Sockets;

namespace Stratus.Iam.Policies;

/// <summary>An IPv4 or IPv6 address as a 128-bit number (IPv4 in the low 32 bits), or invalid.</summary>
internal readonly record struct IpValue(UInt128 Bits, bool IsV6, bool IsValid)
{
    public static IpValue From(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return default;
        }

        UInt128 bits = 0;
        for (var i = 0; i < written; i++)
        {
            bits = (bits << 8) | bytes[i];
        }

        return new IpValue(bits, address.AddressFamily == AddressFamily.InterNetworkV6, true);
    }
}
