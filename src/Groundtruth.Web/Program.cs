using Groundtruth.Web.Apis;
using Groundtruth.Web.Setup;

// The Groundtruth web host. `-- --demo` serves a fresh synthetic database; `--urls URL` moves it off 127.0.0.1:5080.
var builder = WebApplication.CreateBuilder(HostArguments.Options(args));
builder.AddGroundtruth(demo: HostArguments.HasDemo(args));

await using var app = builder.Build();
app.UseGroundtruthErrors();
app.UseGroundtruthSecurity();
app.UseDataChangeInvalidation();
app.MapHealthApi();
app.MapAccountApi();
app.MapFeaturesApi();
app.MapBasemapApi();
app.MapRegistersApi();
app.MapSubmissionsApi();
app.MapRecordsApi();
app.MapAdministrationApi();
app.MapHazardsApi();
app.MapStatsApi();
app.MapVerdictsApi();
app.MapExportApi();
app.MapRiskApi();
app.MapRazorPages();
app.MapGroundtruthApiReference();

return await app.RunGroundtruthAsync();

/// <summary>The entry point, visible to <c>WebApplicationFactory&lt;Program&gt;</c> in the tests.</summary>
public partial class Program;
