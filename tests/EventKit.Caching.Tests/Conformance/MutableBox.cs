namespace EventKit.Caching.Tests.Conformance;

/// <summary>A mutable value (Microsoft's cache copies those per L1 hit).</summary>
public class MutableBox
{
    /// <summary>The value.</summary>
    public int Value { get; set; }
}

