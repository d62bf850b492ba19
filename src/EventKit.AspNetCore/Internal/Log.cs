using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventKit.AspNetCore.Internal;

/// <summary>EventKit.AspNetCore's log messages: paths and ids, never credentials, keys or e-mail addresses.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Storage outage while serving {Path}; answered 503.")]
    public static partial void Outage(ILogger logger, PathString path, Exception exception);
}
