using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore.Design;

namespace Groundtruth.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the GeoPackage flavour of the model.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<GroundtruthDbContext>
{
    public GroundtruthDbContext CreateDbContext(string[] args) => DatabaseTarget.ForFile("design-time.gpkg").CreateContextBuildingTheModel();
}
