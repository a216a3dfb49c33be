using System.CommandLine;
using Groundtruth.Application;
using Groundtruth.Web.Setup;

namespace Groundtruth.Cli.Commands;

/// <summary><c>groundtruth serve</c>: the web application from the same executable (DESIGN section 5).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var demo = new Option<bool>(HostArguments.Demo)
        {
            Description = "serve a fresh synthetic, fictional demo programme in a temporary folder of its own (deleted when the server stops), with one user per role; their password is printed in the log",
        };
        var urls = new Option<string?>("--urls")
        {
            HelpName = "URL[;URL]",
            Description = $"where to listen (default {GroundtruthSetup.DefaultUrl}: this machine only; put a TLS proxy in front before opening it to a network)",
        };
        var command = new Command("serve", "Run the web application (pages, map, API) on the database until Ctrl-C. Further settings are given as --Section:Key value (for example --Groundtruth:BaseMapUrl URL), as in docs/web.md.")
        {
            demo, urls,
        };
        // ASP.NET Core configuration keys (--Groundtruth:DemoPassword X, --Kestrel:...) pass through unchanged.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            List<string> args = [.. parse.UnmatchedTokens];
            if (parse.GetValue(demo)) args.Add(HostArguments.Demo);
            if (parse.GetValue(urls) is { Length: > 0 } given) args.AddRange(["--urls", given]);
            if (parse.GetValue(GroundtruthCli.Database) is { Length: > 0 } database)
            {
                if (parse.GetValue(demo))
                    throw new InvalidRequestException("db", "cannot be given with --demo, which serves a database of its own");
                args.AddRange(["--" + GroundtruthSetup.DatabaseKey, database]);
            }
            return await GroundtruthWebHost.RunAsync([.. args], ct);
        }));
        return command;
    }
}
