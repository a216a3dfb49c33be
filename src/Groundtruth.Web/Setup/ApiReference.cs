using Scalar.AspNetCore;

namespace Groundtruth.Web.Setup;

/// <summary>
/// The API description: the OpenAPI document at /openapi/v1.json and a browsable reference (Scalar) at /scalar,
/// served whole by the host: no fonts from Scalar's CDN, no telemetry, no cloud buttons (Agent Scalar "Ask AI",
/// MCP, the developer toolbar's "Deploy" and "Generate SDK"), its start-up script allowed by a per-request nonce.
/// </summary>
public static class ApiReference
{
    public const string Path = "/scalar";

    public static WebApplication MapGroundtruthApiReference(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(Path, o =>
        {
            o.Title = "Groundtruth API";
            o.DefaultFonts = false;
            o.Telemetry = false;
            o.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            o.Agent = new ScalarAgentOptions { Disabled = true };
            o.Mcp = new ScalarMcpOptions { Disabled = true };
            o.Favicon = "/favicon.ico";
            o.DynamicNonce = true;
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The nonce Scalar put on this response's script tags, if it rendered the page.</summary>
    public static string? Nonce(HttpContext context) => context.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var n) ? n as string : null;
}
