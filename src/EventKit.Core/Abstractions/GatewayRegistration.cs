namespace EventKit;

/// <summary>A newly registered gateway and its API key, which is shown this once.</summary>
/// <param name="Gateway">The gateway.</param>
/// <param name="ApiKey">The API key the gateway sends in <c>X-Gateway-Key</c>. A secret: never log it.</param>
public sealed record GatewayRegistration(Gateway Gateway, string ApiKey)
{
    /// <summary>A description without the key.</summary>
    public override string ToString() => $"GatewayRegistration {{ Gateway = {Gateway} }}";
}
