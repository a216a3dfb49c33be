namespace Groundtruth.Web.Setup;

/// <summary>What the host says in its log. No personal data, ever (DESIGN section 7).</summary>
internal static partial class HostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Groundtruth is listening on {Urls} with the database {Database}")]
    public static partial void Listening(ILogger logger, ICollection<string> urls, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "demo: {Step}")]
    public static partial void DemoStep(ILogger logger, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo database (synthetic, fictional data) at {Path}; it is deleted when the host stops")]
    public static partial void DemoReady(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo users (one per role): {Names}; password for this run: {Password}")]
    public static partial void DemoUsers(ILogger logger, string names, string password);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check failed: {Reason}")]
    public static partial void HealthCheckFailed(ILogger logger, string reason);
}
