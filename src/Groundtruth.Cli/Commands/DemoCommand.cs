using System.CommandLine;
using System.Diagnostics;
using Groundtruth.Application;
using Groundtruth.Application.Demo;

namespace Groundtruth.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var seed = new Option<int>("--seed")
        {
            Description = "seed of the generator: the same seed gives the same programme on the same day",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var scale = new Option<int>("--scale")
        {
            Description = "multiplies hazards, minefield records, activities, land release, finds, accidents and casualties (1: about 2,000 finds; 500: about 1 million); the gazetteer stays the same",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        scale.Validators.Add(result =>
        {
            // A value that is not a number is reported by the parser itself; only judge numbers here.
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n < 1)
                result.AddError("--scale must be at least 1");
        });
        var output = new Option<DirectoryInfo?>("--out")
        {
            HelpName = "DIR",
            Description = "only write the CSV files (one per dataset, plus hazards-initial.csv) to this directory; the database is not touched",
        };
        var personal = new Option<bool>("--personal-data")
        {
            Description = "with --out: add casualties' fictional names, dates of birth and injuries (importing them needs a personal-data key)",
        };
        var command = new Command("demo", "Fill an empty database with a synthetic, fictional mine action programme (places, hazards with history, records, activities, land release, finds, accidents, casualties).")
        {
            seed, scale, output, personal,
        };
        command.SetAction((parse, ct) => context.Guard(async () =>
        {
            var today = DateOnly.FromDateTime(context.Clock.GetUtcNow().UtcDateTime);
            if (parse.GetValue(output) is { } directory)
            {
                var watch = Stopwatch.StartNew();
                var files = DemoData.WriteFiles(directory.FullName, parse.GetValue(seed), parse.GetValue(scale), today, parse.GetValue(personal));
                foreach (var f in files) await context.Output.WriteLineAsync($"{f.Name}: {f.Records} record(s) written to {f.Path} ({f.Elapsed.TotalSeconds:F1} s)");
                await context.Output.WriteLineAsync($"demo files written in {watch.Elapsed.TotalSeconds:F1} s; import them in the order listed (hazards-initial before hazards)");
                return ExitCodes.Success;
            }
            if (parse.GetValue(personal))
                throw new InvalidRequestException("personal_data", "goes with --out; into a database the demo adds personal data whenever a key is available (a GeoPackage gets <database>.key)");
            var target = context.Target(parse);
            var result = await new DemoHandler(target, context.Clock).HandleAsync(
                new DemoRequest(parse.GetValue(seed), parse.GetValue(scale), Environment.UserName), new LineProgress(context.Output), ct);
            if (result.KeyFile is { } key)
                await context.Output.WriteLineAsync($"personal-data key written to {key}: whoever holds it can read the casualties' names; back it up, and do not hand it on with the database");
            await context.Output.WriteLineAsync($"{target}: demo programme imported (synthetic, fictional data)");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Writes each line as it is reported (Progress&lt;T&gt; would post out of order).</summary>
    private sealed class LineProgress(TextWriter output) : IProgress<string>
    {
        public void Report(string value) => output.WriteLine(value);
    }
}
