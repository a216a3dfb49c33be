using System.CommandLine;
using System.Globalization;
using Groundtruth.Analysis.Risk;
using Groundtruth.Application.Risk;

namespace Groundtruth.Cli.Commands;

/// <summary><c>groundtruth layers add NAME FILE.tif [--kind continuous|categorical] | list | remove NAME</c>: covariate rasters for the risk model.</summary>
internal static class LayersCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "the layer's name in the model: lower-case letters, digits and _ (e.g. elevation, land_cover)" };
        var file = new Argument<string>("FILE") { Description = "a single-band GeoTIFF with a CRS (EPSG:4326, a WGS84 UTM zone or EPSG:3857) covering part of the programme area" };
        var kind = new Option<string>("--kind")
        {
            Description = "continuous (the value enters the model; read bilinearly) or categorical (one 0/1 layer per class, at most 16; nearest cell)",
            DefaultValueFactory = _ => "continuous",
        };
        kind.AcceptOnlyFromAmong("continuous", "categorical");
        var add = new Command("add", "Store a GeoTIFF in the database as a covariate layer of the risk model (risk map, risk evaluate, priorities); resampled to each grid on use. Exit 1 when the file is not a single-band GeoTIFF with a CRS, has no cell with a value, lies outside the programme's extent, or is categorical with class codes that are not whole numbers, beyond 16777216 where a 32-bit value skips whole numbers, or more than 16 classes; 2 for a bad or taken name, or a FILE that does not exist or is a directory.")
        {
            name, file, kind,
        };
        add.SetAction((parse, ct) => context.Guard(async () =>
        {
            var service = new CovariateLayersService(context.Target(parse), context.Clock);
            CovariateLayerInfo info;
            try
            {
                info = await service.AddAsync(parse.GetValue(name)!, parse.GetValue(file)!, CovariateLayersService.ParseKind(parse.GetValue(kind)!), Environment.UserName, ct);
            }
            catch (Application.InvalidRequestException e) when (e.Parameter is "name" or "file")
            {
                // The name and the file are arguments, not flags: say which one, as the usage line names it.
                await context.Error.WriteLineAsync($"error: {e.Parameter.ToUpperInvariant()}: {Application.ErrorMessages.Localise(e.Reason)}");
                return ExitCodes.BadArguments;
            }
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"added layer {info.Name} ({CovariateLayersService.KindName(info.Kind)}) from {info.SourceFile}: {info.Columns}×{info.Rows} cells, EPSG:{info.Epsg}, {Extent(info)}"));
            return ExitCodes.Success;
        }));

        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var list = new Command("list", "The covariate layers stored: name, kind, source file, date added and by whom, CRS, size and extent.") { format };
        list.SetAction((parse, ct) => context.Guard(async () =>
        {
            var layers = await new CovariateLayersService(context.Target(parse), context.Clock).ListAsync(ct);
            if (parse.GetValue(format) == "json")
            {
                await context.Output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(layers.Select(l => new
                {
                    name = l.Name, kind = CovariateLayersService.KindName(l.Kind), source_file = l.SourceFile, added_at = l.AddedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    added_by = l.AddedBy, crs = $"EPSG:{l.Epsg}", columns = l.Columns, rows = l.Rows, extent = new[] { l.West, l.South, l.East, l.North }, bytes = l.Bytes, sha256 = l.Sha256,
                })));
                return ExitCodes.Success;
            }
            if (layers.Count == 0)
            {
                await context.Output.WriteLineAsync("no covariate layers; add one with 'groundtruth layers add NAME FILE.tif'");
                return ExitCodes.Success;
            }
            await context.Output.WriteLineAsync("name\tkind\tsource file\tadded\tby\tCRS\tcells\textent (WGS84)");
            foreach (var l in layers)
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{l.Name}\t{CovariateLayersService.KindName(l.Kind)}\t{l.SourceFile}\t{l.AddedAt:yyyy-MM-dd HH:mm}\t{l.AddedBy}\tEPSG:{l.Epsg}\t{l.Columns}×{l.Rows}\t{Extent(l)}"));
            return ExitCodes.Success;
        }));

        var removeName = new Argument<string>("NAME") { Description = "the layer to remove" };
        var remove = new Command("remove", "Delete a covariate layer from the database (audited). Exit 2 when there is no such layer.") { removeName };
        remove.SetAction((parse, ct) => context.Guard(async () =>
        {
            await new CovariateLayersService(context.Target(parse), context.Clock).RemoveAsync(parse.GetValue(removeName)!, Environment.UserName, ct);
            await context.Output.WriteLineAsync($"removed layer {parse.GetValue(removeName)}");
            return ExitCodes.Success;
        }));

        return new Command("layers", "Covariate rasters the programme holds (elevation, land cover, population density…), used by the risk model beside its built-in layers (docs/risk.md).")
        {
            add, list, remove,
        };
    }

    private static string Extent(CovariateLayerInfo l) =>
        string.Create(CultureInfo.InvariantCulture, $"lon {l.West:0.####} to {l.East:0.####}, lat {l.South:0.####} to {l.North:0.####}");
}
