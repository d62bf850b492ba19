namespace EventKit;

/// <summary>A scanner and its API key, which is shown this once (on creation and on rotation).</summary>
/// <param name="Scanner">The scanner.</param>
/// <param name="ApiKey">The key the scanner sends in <c>X-Scanner-Key</c>. A secret: never log it.</param>
public sealed record ScannerRegistration(Scanner Scanner, string ApiKey)
{
    /// <summary>A description without the key.</summary>
    public override string ToString() => $"ScannerRegistration {{ Scanner = {Scanner} }}";
}
