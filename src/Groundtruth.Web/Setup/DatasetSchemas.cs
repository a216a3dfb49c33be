using System.Globalization;
using System.Text.Json.Nodes;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Resources;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Groundtruth.Web.Setup;

/// <summary>
/// The OpenAPI document describes each dataset as a schema (<c>dataset_finds</c>, …) whose properties are its
/// columns, each described by the label catalogue (label, then help) with its type and, for enums, its values.
/// In English whatever the request's language: the document is a contract for programs.
/// </summary>
public static class DatasetSchemas
{
    public static Task AddAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        var english = CultureInfo.InvariantCulture;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var d in DatasetCatalog.All)
        {
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Title = Labels.Dataset(d, english),
                Description = $"{Labels.Description(d, english)} The members of a record of '{d.Name}' (files, JSON and the database use these names).",
                Properties = new Dictionary<string, IOpenApiSchema>(),
                Required = new HashSet<string>(d.Fields.Where(f => f.Required).Select(f => f.Name)),
            };
            foreach (var f in d.Fields)
            {
                var help = Labels.Help(d, f, english);
                var property = new OpenApiSchema
                {
                    Type = TypeOf(f),
                    Title = Labels.Field(d, f.Name, english),
                    Description = help.Length > 0 ? help : null,
                    ReadOnly = f.Computed,
                };
                if (f.Type == FieldType.Enum && f.EnumType is { } type)
                {
                    property.Enum = [.. f.EnumNames.Select(n => (JsonNode)JsonValue.Create(n))];
                    property.Description = string.Join("; ", f.EnumNames.Select(n => $"{n}: {Labels.Value(type, n, english)}")) + (help.Length > 0 ? ". " + help : "");
                }
                if (f.Type == FieldType.Date) property.Pattern = @"^\d{4}(-\d{2}(-\d{2})?)?$";
                schema.Properties[f.Name] = property;
            }
            document.Components.Schemas["dataset_" + d.Table] = schema;
        }
        return Task.CompletedTask;
    }

    private static JsonSchemaType TypeOf(FieldSpec f) => f.Type switch
    {
        FieldType.Integer or FieldType.Long => JsonSchemaType.Integer,
        FieldType.Real => JsonSchemaType.Number,
        FieldType.Boolean => JsonSchemaType.Boolean,
        _ => JsonSchemaType.String,
    };
}
