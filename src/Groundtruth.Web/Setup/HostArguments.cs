namespace Groundtruth.Web.Setup;

/// <summary>The host's own switches, taken out before ASP.NET Core reads the rest as configuration.</summary>
public static class HostArguments
{
    public const string Demo = "--demo";

    public static bool HasDemo(IEnumerable<string> args) => args.Any(IsDemo);

    /// <summary>
    /// The arguments without <c>--demo</c>: as configuration, a bare switch would swallow the next
    /// argument as its value (<c>--demo --urls X</c> would lose <c>--urls</c>).
    /// </summary>
    public static string[] WithoutDemo(IEnumerable<string> args) => [.. args.Where(a => !IsDemo(a))];

    /// <summary>The arguments without <c>--demo</c>, and the pages' files from beside the binaries, wherever the host is started.</summary>
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = WithoutDemo(args),
        WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
    };

    private static bool IsDemo(string arg) => string.Equals(arg, Demo, StringComparison.OrdinalIgnoreCase);
}
