using System.Text.Json.Serialization;

namespace EventKit;

/// <summary>How an admission was captured.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckInMethod>))]
public enum CheckInMethod
{
    /// <summary>A QR code scanned by staff or a turnstile.</summary>
    [JsonStringEnumMemberName("qr")]
    Qr = 0,

    /// <summary>An NFC tag or card.</summary>
    [JsonStringEnumMemberName("nfc")]
    Nfc = 1,

    /// <summary>A Bluetooth Low Energy sighting resolved by a gateway.</summary>
    [JsonStringEnumMemberName("ble")]
    Ble = 2,

    /// <summary>Admitted by hand by staff.</summary>
    [JsonStringEnumMemberName("manual")]
    Manual = 3,
}
