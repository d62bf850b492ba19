namespace EventKit.Gates.Ble.Internal;

/// <summary>The outcome of recording an entry in the shared entry log.</summary>
internal readonly record struct SharedEntryCheck(bool CloneSuspected, long OtherGateId = 0);
