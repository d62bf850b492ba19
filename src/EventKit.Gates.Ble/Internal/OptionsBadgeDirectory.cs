using Microsoft.Extensions.Options;

namespace EventKit.Gates.Ble.Internal;

/// <summary>Static badges from <see cref="BleGateOptions.StaticBadges"/> (random badge numbers), copied once at start.</summary>
/// <remarks>There is deliberately no fallback such as "badge number = participant id": ids are sequential, so anyone could
/// broadcast any participant's badge. Static mode without a table therefore fails when the host starts.</remarks>
internal sealed class OptionsBadgeDirectory : IBleStaticBadgeDirectory
{
    internal const string MissingTableMessage =
        "EventKit:Ble:EnableStaticBeacons needs a table of random badge numbers: set EventKit:Ble:StaticBadges (badge number → participant id) " +
        "or register an IBleStaticBadgeDirectory. Badge numbers are never derived from participant ids.";

    private readonly Dictionary<ulong, long> _badges;

    public OptionsBadgeDirectory(IOptions<BleGateOptions> options)
    {
        var value = options.Value;
        if (value.EnableStaticBeacons && value.StaticBadges.Count == 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(BleGateOptions), [MissingTableMessage]);
        }

        _badges = new Dictionary<ulong, long>(value.StaticBadges);
    }

    public bool TryGetParticipant(ulong badgeNumber, out long participantId) => _badges.TryGetValue(badgeNumber, out participantId);
}
