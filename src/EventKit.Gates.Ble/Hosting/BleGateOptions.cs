namespace EventKit.Gates.Ble;

/// <summary>Options of BLE gates: credentials, the enter/exit rules, memory bounds and gateways. Configure with
/// <c>AddBleGates(o =&gt; ...)</c>; validated when the host starts.</summary>
public sealed class BleGateOptions
{
    /// <summary>The configuration section the sample host binds: <c>EventKit:Ble</c>.</summary>
    public const string SectionName = "EventKit:Ble";

    /// <summary>Which gate each gateway stands at: gateway id → gate id.</summary>
    /// <remarks>Default empty. Used by the default <see cref="IBleGatewayDirectory"/>; register your own directory to read
    /// gateways from storage instead. Gate ids must be positive.</remarks>
    public IDictionary<string, long> Gateways { get; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>The longest advert read; longer ones are rejected.</summary>
    /// <remarks>Default 1650 (a chained extended advert). 31 to 65,535.</remarks>
    public int MaxAdvertLength { get; set; } = BleAdvertParser.DefaultMaxLength;

    /// <summary>How many EID windows on each side of the current one still resolve (phone clock drift).</summary>
    /// <remarks>Default 1. 0 to 8.</remarks>
    public int EidWindowsEitherSide { get; set; } = 1;

    /// <summary>Whether static iBeacon / Eddystone-UID badges identify participants. Anyone in radio range can copy a
    /// static badge, so this is off unless the event opts in; records it produces carry <see cref="CredentialKind.BleStaticBeacon"/>.</summary>
    /// <remarks>Default <see langword="false"/>. Needs <see cref="StaticIBeaconUuid"/> or <see cref="StaticEddystoneNamespace"/>, and
    /// a table of random badge numbers (<see cref="StaticBadges"/> or a registered <see cref="IBleStaticBadgeDirectory"/>).</remarks>
    public bool EnableStaticBeacons { get; set; }

    /// <summary>The static badge table: badge number → participant id. Badge numbers must be random (never the participant
    /// id or another guessable sequence: anyone can broadcast any number), for example 32 random bits for iBeacon badges.</summary>
    /// <remarks>Default empty. Required with <see cref="EnableStaticBeacons"/> unless the host registers its own
    /// <see cref="IBleStaticBadgeDirectory"/>; the host then fails at start without one. Badge numbers 1 to 2^48 − 1
    /// (iBeacon: up to 2^32 − 1), participant ids positive, no badge number equal to its participant id.</remarks>
    public IDictionary<ulong, long> StaticBadges { get; } = new Dictionary<ulong, long>();

    /// <summary>The event's iBeacon proximity UUID; a badge's major·65536 + minor is its badge number.</summary>
    /// <remarks>Default <see langword="null"/> (iBeacon badges not accepted).</remarks>
    public Guid? StaticIBeaconUuid { get; set; }

    /// <summary>The event's Eddystone-UID namespace, 20 hex digits; a badge's instance is its badge number.</summary>
    /// <remarks>Default <see langword="null"/> (Eddystone-UID badges not accepted).</remarks>
    public string? StaticEddystoneNamespace { get; set; }

    /// <summary>The RSSI filter.</summary>
    /// <remarks>Default <see cref="BleRssiFilter.Ema"/>.</remarks>
    public BleRssiFilter RssiFilter { get; set; } = BleRssiFilter.Ema;

    /// <summary>The EMA weight of a new reading.</summary>
    /// <remarks>Default 0.3. 0.01 to 1.</remarks>
    public double EmaAlpha { get; set; } = 0.3;

    /// <summary>The Kalman filter's process noise (how fast the true RSSI may drift), in dB² per reading.</summary>
    /// <remarks>Default 0.5. 0.0001 to 100.</remarks>
    public double KalmanProcessNoise { get; set; } = 0.5;

    /// <summary>The Kalman filter's measurement noise (how noisy one reading is), in dB².</summary>
    /// <remarks>Default 8. 0.01 to 1000.</remarks>
    public double KalmanMeasurementNoise { get; set; } = 8;

    /// <summary>The RSSI at 1 m assumed when the gateway has no calibration and the advert states no plausible tx power, in dBm.</summary>
    /// <remarks>Default −59. −120 to 0.</remarks>
    public int DefaultMeasuredPower { get; set; } = -59;

    /// <summary>The lowest tx power an advert may state and still be used for the distance, in dBm (at 0 m for Eddystone,
    /// at 1 m for iBeacon and AltBeacon). The tx byte is not covered by the EID, so a replayed advert could state any value
    /// to look close; outside this range the reference is <see cref="DefaultMeasuredPower"/>.</summary>
    /// <remarks>Default −100. −128 to 20; at most <see cref="MaxPlausibleTxPower"/>. A gateway in
    /// <see cref="GatewayCalibrations"/> ignores the advert's tx power altogether.</remarks>
    public int MinPlausibleTxPower { get; set; } = -100;

    /// <summary>The highest tx power an advert may state and still be used for the distance, in dBm.</summary>
    /// <remarks>Default +20. −100 to 127.</remarks>
    public int MaxPlausibleTxPower { get; set; } = 20;

    /// <summary>Per-gateway calibration: gateway id → the RSSI that gateway hears from a phone held 1 m away, in dBm. For
    /// a calibrated gateway this is the 1 m reference of every advert it reports, whatever tx power the advert states.</summary>
    /// <remarks>Default empty (the advert's plausible tx power, else <see cref="DefaultMeasuredPower"/>). Each value −120
    /// to 0. Calibrate at each gate with a typical phone: it is the only reference a replayed advert cannot influence.</remarks>
    public IDictionary<string, int> GatewayCalibrations { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The path-loss exponent n of d = 10^((P₁ₘ − RSSI) / (10·n)).</summary>
    /// <remarks>Default 2.5. 1 to 6.</remarks>
    public double PathLossExponent { get; set; } = 2.5;

    /// <summary>A device closer than this (filtered) for <see cref="EnterDwell"/> enters.</summary>
    /// <remarks>Default 1.5 m. 0.1 to 50 m; must be less than <see cref="ExitRadius"/>.</remarks>
    public double EnterRadius { get; set; } = 1.5;

    /// <summary>A device farther than this for <see cref="ExitDelay"/> exits. Larger than the enter radius so a device on
    /// the edge does not flap.</summary>
    /// <remarks>Default 3 m. 0.2 to 100 m.</remarks>
    public double ExitRadius { get; set; } = 3;

    /// <summary>How long a device must stay inside the enter radius to enter.</summary>
    /// <remarks>Default 800 ms. 0 to 1 min.</remarks>
    public TimeSpan EnterDwell { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>How long a device must stay beyond the exit radius to exit.</summary>
    /// <remarks>Default 5 s. 0 to 5 min.</remarks>
    public TimeSpan ExitDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A device not heard for this long exits (and its filter restarts).</summary>
    /// <remarks>Default 10 s. 1 s to 10 min.</remarks>
    public TimeSpan NotSeenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>State of a device not heard for this long is dropped.</summary>
    /// <remarks>Default 1 min. From <see cref="NotSeenTimeout"/> to 1 h.</remarks>
    public TimeSpan IdleEviction { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most (gate, device) states kept; beyond it the least recently heard is dropped.</summary>
    /// <remarks>Default 100,000. 16 to 10,000,000.</remarks>
    public int MaxTrackedDevices { get; set; } = 100_000;

    /// <summary>Entering at a second gate sooner than this after entering at another is treated as a cloned credential:
    /// the second entry is refused and observers are told.</summary>
    /// <remarks>Default 20 s. 0 (off) to 1 h.</remarks>
    public TimeSpan MinTravelTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Sightings older than this (by their gateway timestamp) are rejected.</summary>
    /// <remarks>Default 1 min. 1 s to 1 h.</remarks>
    public TimeSpan MaxSightingAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sightings stamped further in the future than this are rejected (gateway clock skew).</summary>
    /// <remarks>Default 5 s. 0 to 10 min.</remarks>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many recent Ruuvi nonces this node remembers per gateway to reject replays (with Redis, nonces are also
    /// shared across nodes for <see cref="NonceRetention"/>).</summary>
    /// <remarks>Default 1024. 16 to 1,000,000.</remarks>
    public int NonceMemory { get; set; } = 1024;

    /// <summary>How long Redis remembers a Ruuvi nonce when nodes share state (see <see cref="SharedStateTimeout"/>); at
    /// least <see cref="MaxSightingAge"/> + <see cref="MaxClockSkew"/> is used, after which a replayed report's sightings
    /// are stale anyway.</summary>
    /// <remarks>Default 10 min. 1 min to 1 day. Redis then holds about one key per report of the last 10 minutes.</remarks>
    public TimeSpan NonceRetention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a call to Redis for shared clone and nonce state may take before this node decides alone. Shared
    /// state is used whenever a Redis connection is registered (<c>.AddRedis()</c>) and connected.</summary>
    /// <remarks>Default 500 ms. 10 ms to 10 s.</remarks>
    public TimeSpan SharedStateTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest report body read.</summary>
    /// <remarks>Default 16 MiB. 1 KiB to 1 GiB.</remarks>
    public int MaxReportBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How often identities are reloaded from <see cref="IBleIdentityStore"/> (new, revoked, re-keyed participants).</summary>
    /// <remarks>Default 1 min. 1 s to 1 day.</remarks>
    public TimeSpan IdentityReloadInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often EID windows are rolled and idle devices swept (exits of devices no longer heard).</summary>
    /// <remarks>Default 1 s. 100 ms to 1 min.</remarks>
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromSeconds(1);
}
