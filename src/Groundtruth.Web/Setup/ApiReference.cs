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
        app.Use(DeclareLanguage);
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
            o.Localization = new ScalarLocalizationOptions { Locale = "en" };
            // Scalar's grey secondary text is below WCAG AA contrast on its own backgrounds (axe: color-contrast).
            // Light mode only (the toggle hidden), with the method colours darkened to at least 4.5:1 on Scalar's greys.
            o.ForceThemeMode = ThemeMode.Light;
            o.HideDarkModeToggle = true;
            o.CustomCss = ".light-mode { --scalar-color-3: #595959; --scalar-color-green: #0b6b45; --scalar-color-blue: #0a58a8; " +
                "--scalar-color-orange: #9a4a00; --scalar-color-red: #b3161b; --scalar-color-purple: #5a1fb8; --scalar-color-yellow: #7a5c00; }";
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Scalar's page declares no language (axe: html-has-lang): its one <c>&lt;html&gt;</c> tag gets <c>lang="en"</c>.</summary>
    private static async Task DeclareLanguage(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path.Value?.TrimEnd('/');
        if (!HttpMethods.IsGet(context.Request.Method) || !string.Equals(path, Path, StringComparison.OrdinalIgnoreCase))
        {
            await next();
            return;
        }
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
        }
        var text = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            text = text.Replace("<html>", "<html lang=\"en\">", StringComparison.Ordinal);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>The nonce Scalar put on this response's script tags, if it rendered the page.</summary>
    public static string? Nonce(HttpContext context) => context.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var n) ? n as string : null;
}
