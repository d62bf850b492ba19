namespace EventKit.Testing;

/// <summary>Polls a condition with a deadline instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds, or fails with <paramref name="what"/> after <paramref name="timeout"/> (default 10 s).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; see <see cref="TrueAsync(Func{Task{bool}}, string, TimeSpan?)"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(() => Task.FromResult(condition()), what, timeout);
    }
}
