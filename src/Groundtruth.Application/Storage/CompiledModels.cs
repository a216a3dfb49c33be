using System.Reflection;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Groundtruth.Application.Storage;

/// <summary>
/// The storage model compiled ahead of time for each store (<c>dotnet ef dbcontext optimize</c>, in the store's migrations
/// assembly, docs/decisions/0049-compiled-storage-model.md): a command starts without building the model from the entity
/// configuration (0.4 s of one core before every command's first query). A test holds each compiled model to the one the
/// configuration builds; after a change to the entities, the migration and the compiled model are made again together.
/// </summary>
public static class CompiledModels
{
    private static readonly Lazy<IModel?> GeoPackage = new(() => Load(DatabaseTarget.SqliteMigrationsAssembly));
    private static readonly Lazy<IModel?> PostGis = new(() => Load(DatabaseTarget.PostgresMigrationsAssembly));

    /// <summary>The compiled model of <paramref name="flavour"/>'s store, or null when its migrations assembly holds none.</summary>
    public static IModel? For(StoreFlavour flavour) => flavour == StoreFlavour.GeoPackage ? GeoPackage.Value : PostGis.Value;

    private static IModel? Load(string assembly)
    {
        Assembly loaded;
        try
        {
            loaded = Assembly.Load(assembly);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        var type = loaded.GetType($"{assembly}.CompiledModel.GroundtruthDbContextModel");
        return type?.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as IModel;
    }
}
