using System.CommandLine;
using Groundtruth.Application;
using Groundtruth.Application.Import;
using Groundtruth.Application.Storage;
using Groundtruth.Cli.Commands;

namespace Groundtruth.Cli;

/// <summary>Exit codes (DESIGN section 5): 0 success; 1 bad data; 2 bad arguments.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int BadData = 1;
    public const int BadArguments = 2;
}

/// <summary>The <c>groundtruth</c> command: a thin shell that parses, calls a use case and renders.</summary>
public static class GroundtruthCli
{
    /// <summary><c>--db PATH|CONNSTRING</c>, on every verb.</summary>
    public static readonly Option<string?> Database = new("--db")
    {
        Description = "GeoPackage file or PostgreSQL connection string (default: $GROUNDTRUTH_DB or ./groundtruth.gpkg)",
        Recursive = true,
    };

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Groundtruth: mine action information management — contamination, finds, casualties, land release.");
        root.Options.Add(Database);
        root.Subcommands.Add(InitCommand.Create(context));
        root.Subcommands.Add(ImportCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(FormsCommand.Create(context));
        root.Subcommands.Add(FormsImportCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(DatasetsCommand.Create(context));
        root.Subcommands.Add(RecordsCommand.Create(context));
        root.Subcommands.Add(LandReleaseCommand.Create(context));
        root.Subcommands.Add(HazardsCommand.Create(context));
        root.Subcommands.Add(StatsCommand.Create(context));
        root.Subcommands.Add(CheckCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(RiskCommand.Create(context));
        root.Subcommands.Add(PrioritiesCommand.Create(context));
        root.Subcommands.Add(LayersCommand.Create(context));
        root.Subcommands.Add(UsersCommand.Create(context));
        root.Subcommands.Add(AuditCommand.Create(context));
        root.Subcommands.Add(BackupCommand.Create(context));
        root.Subcommands.Add(BackupCommand.CreateRestore(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        Resources.CliText.Translate(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var context = new CliContext(output, error, TimeProvider.System);
        var parse = Build(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) await error.WriteLineAsync("error: " + e.Message);
            await error.WriteLineAsync("Try 'groundtruth --help'.");
            return ExitCodes.BadArguments;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}

/// <summary>Where a command writes, and its clock.</summary>
public sealed record CliContext(TextWriter Output, TextWriter Error, TimeProvider Clock)
{
    /// <summary>True when a person watches a terminal (progress bars); false when output is redirected.</summary>
    public bool Interactive => ReferenceEquals(Output, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    public DatabaseTarget Target(ParseResult parse) => DatabaseTarget.Parse(parse.GetValue(GroundtruthCli.Database));

    /// <summary>Runs a use case, turning failures into exit codes and one clear message (never a stack trace).</summary>
    public async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ImportRejectedException e)
        {
            // In the user's language (LANG) like the pages; the file, line, field and value as the file has them.
            foreach (var p in e.Problems) await Error.WriteLineAsync(ImportReasons.Describe(p));
            if (e.TotalProblems > e.Problems.Count) await Error.WriteLineAsync(ImportReasons.Text("problems.more", null, e.TotalProblems - e.Problems.Count));
            await Error.WriteLineAsync("error: " + ImportReasons.Text("problems.nothing_imported", null, e.TotalProblems));
            return ExitCodes.BadData;
        }
        catch (InvalidRequestException e)
        {
            // Use cases name their parameters; the command line shows the flag a user types.
            await Error.WriteLineAsync($"error: --{e.Parameter.Replace('_', '-')}: {ErrorMessages.Localise(e.Reason)}");
            return ExitCodes.BadArguments;
        }
        catch (Exception e) when (e is NotFoundException or ForbiddenException)
        {
            await Error.WriteLineAsync("error: " + ErrorMessages.Localise(e));
            return ExitCodes.BadArguments;
        }
        catch (Exception e) when (e is ConflictException or BadDataException or Groundtruth.Analysis.Risk.RiskDataException)
        {
            await Error.WriteLineAsync("error: " + ErrorMessages.Localise(e));
            return ExitCodes.BadData;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            await Error.WriteLineAsync("error: " + e.Message);
            return ExitCodes.BadData;
        }
    }
}
