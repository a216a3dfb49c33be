using System.Globalization;
using Groundtruth.Cli.Resources;

namespace Groundtruth.Cli;

/// <summary>
/// The entry point of <c>groundtruth</c>. Not top-level statements: with the web host referenced, ASP.NET Core
/// would make a top-level <c>Program</c> public, and it would clash with the web host's own in the tests.
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        // What the CLI writes is invariant (numbers, dates, CSV, JSON); its help and its messages to a person (errors, an
        // import's problems) speak the user's language.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentUICulture = CliText.LanguageOf(Environment.GetEnvironmentVariable);
        return GroundtruthCli.RunAsync(args, Console.Out, Console.Error);
    }
}
