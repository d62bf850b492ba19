using System.Security.Cryptography;

namespace EventKit.Gates.Ble.Tests.Credentials;

/// <summary>The EID computation written out again from the byte layouts of spec/ble.md, independent of the library.</summary>
internal static class EidVectors
{
    public static byte[] TemporaryKey(byte[] identityKey, uint counter)
    {
        var block = new byte[16];
        block[11] = 0xFF;
        block[14] = (byte)(counter >> 24);
        block[15] = (byte)(counter >> 16);
        using var aes = Aes.Create();
        aes.Key = identityKey;
        return aes.EncryptEcb(block, PaddingMode.None);
    }

    public static ulong Eid(byte[] identityKey, byte k, uint counter)
    {
        var quantum = counter & ~((1u << k) - 1);
        var block = new byte[16];
        block[11] = k;
        block[12] = (byte)(quantum >> 24);
        block[13] = (byte)(quantum >> 16);
        block[14] = (byte)(quantum >> 8);
        block[15] = (byte)quantum;
        using var aes = Aes.Create();
        aes.Key = TemporaryKey(identityKey, counter);
        var output = aes.EncryptEcb(block, PaddingMode.None);
        ulong eid = 0;
        for (var i = 0; i < 8; i++)
        {
            eid = (eid << 8) | output[i];
        }

        return eid;
    }

    public static byte[] Key(byte seed)
    {
        var key = new byte[16];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(seed + (i * 17));
        }

        return key;
    }
}
