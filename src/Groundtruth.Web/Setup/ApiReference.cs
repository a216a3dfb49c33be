using Scalar.AspNetCore;

namespace Groundtruth.Web.Setup;

/// <summary>The API description: the OpenAPI document at /openapi/v1.json and a browsable reference (Scalar) at /scalar.</summary>
public static class ApiReference
{
    public static WebApplication MapGroundtruthApiReference(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(o => o.Title = "Groundtruth API").AllowAnonymous();
        return app;
    }
}
