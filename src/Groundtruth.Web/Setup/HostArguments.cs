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

    /// <summary>The pages' files beside the binaries; absent in the single-file build, which serves its embedded copy.</summary>
    public static string WebRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>
    /// The arguments without <c>--demo</c>, and the pages' files from beside the binaries, wherever the host is started.
    /// No folder is named when there is none there: the host would create an empty one beside the executable.
    /// </summary>
    /// <remarks>
    /// The application is this assembly whatever started the host: ASP.NET Core finds the pages in the application's
    /// assembly, and under <c>groundtruth serve</c> the process's entry is the command line's, which holds none (every
    /// page, the sign-in page too, then fell to the sign-in challenge, and the browser went round in redirects).
    /// </remarks>
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = WithoutDemo(args),
        ApplicationName = typeof(HostArguments).Assembly.GetName().Name,
        WebRootPath = Directory.Exists(WebRoot) ? WebRoot : null,
    };

    private static bool IsDemo(string arg) => string.Equals(arg, Demo, StringComparison.OrdinalIgnoreCase);
}
