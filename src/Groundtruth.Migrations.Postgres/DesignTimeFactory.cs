using Groundtruth.Application.Storage;
using Microsoft.EntityFrameworkCore.Design;

namespace Groundtruth.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostGIS flavour of the model (no server is contacted).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<GroundtruthDbContext>
{
    public GroundtruthDbContext CreateDbContext(string[] args) => DatabaseTarget.ForServer("Host=localhost;Database=groundtruth_design").CreateContextBuildingTheModel();
}
