namespace Groundtruth.Cli;

/// <summary>
/// The entry point of <c>groundtruth</c>. Not top-level statements: with the web host referenced, ASP.NET Core
/// would make a top-level <c>Program</c> public, and it would clash with the web host's own in the tests.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => GroundtruthCli.RunAsync(args, Console.Out, Console.Error);
}
