using System.Text;
using EventKit.Gates.Ble;

namespace EventKit.Benchmarks.Ble;

/// <summary>A clock that stands still, so EIDs computed at setup resolve for the whole run.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Participants with identity keys and a realistic mix of adverts heard at a gate.</summary>
internal static class BleBenchmarkData
{
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_763_715_600);

    public static BleIdentity[] Identities(int count)
    {
        var random = new Random(1);
        var identities = new BleIdentity[count];
        var key = new byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(key);
            identities[i] = new BleIdentity(i + 1, key);
        }

        return identities;
    }

    /// <summary>80 % EID adverts of known participants, 20 % other devices (iBeacons, random manufacturer data).</summary>
    public static byte[][] Adverts(BleIdentity[] identities, int count)
    {
        var random = new Random(2);
        var adverts = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            if (i % 5 == 4)
            {
                var other = new byte[3 + 27];
                other[0] = 2;
                other[1] = 1;
                other[2] = 6;
                other[3] = 26;
                other[4] = 0xFF;
                random.NextBytes(other.AsSpan(5));
                adverts[i] = other;
            }
            else
            {
                adverts[i] = EddystoneEid.CreateAdvert(identities[random.Next(identities.Length)], Now);
            }
        }

        return adverts;
    }

    public static byte[] Ndjson(byte[][] adverts, int lines)
    {
        var builder = new StringBuilder();
        var t = Now.ToUnixTimeMilliseconds();
        for (var i = 0; i < lines; i++)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"t\":{t + i},\"mac\":\"C6:A5:12:{i >> 16 & 0xFF:X2}:{i >> 8 & 0xFF:X2}:{i & 0xFF:X2}\",\"rssi\":-{60 + (i % 30)},\"adv\":\"{Convert.ToHexString(adverts[i % adverts.Length])}\"}}\n");
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
