using Groundtruth.Application.Users;
using Groundtruth.Web.Setup;

namespace Groundtruth.Web.Apis;

/// <summary>
/// The optional offline vector basemap: the PMTiles file named by <c>Groundtruth:Map:PmTiles</c>, served by the host
/// itself with range requests (the PMTiles reader fetches a header, a directory and then each tile as a byte range).
/// </summary>
public static class BasemapApi
{
    public static IEndpointRouteBuilder MapBasemapApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(WebOptions.PmTilesRoute, GetPmTiles)
            .WithName(nameof(GetPmTiles))
            .WithTags("Map")
            .RequireAuthorization(Roles.Viewer)
            .WithSummary("The offline vector basemap (PMTiles), by byte range")
            .WithDescription("The file configured by Groundtruth:Map:PmTiles, answered in part (206) for a Range header; 404 when none is configured or the file is missing.");
        return app;
    }

    public static IResult GetPmTiles(WebOptions options)
    {
        var path = options.PmTilesFullPath;
        if (path is null || !File.Exists(path))
            return TypedResults.Problem(title: "No basemap", detail: $"No PMTiles file is configured ({WebOptions.PmTilesKey}) or it is missing.", statusCode: StatusCodes.Status404NotFound);
        return TypedResults.PhysicalFile(path, "application/vnd.pmtiles", enableRangeProcessing: true);
    }
}
