namespace EventKit.Gates.Ble;

/// <summary>Told about enters, exits and suspected clones (for monitoring and alerts). Register any number with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IBleGateObserver, MyObserver&gt;())</c>.</summary>
public interface IBleGateObserver
{
    /// <summary>Called after each change, outside the engine's lock. Must be quick and must not throw.</summary>
    void OnPresenceEvent(in BlePresenceEvent presenceEvent);
}
