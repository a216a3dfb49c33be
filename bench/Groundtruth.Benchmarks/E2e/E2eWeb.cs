using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Groundtruth.Benchmarks.E2e;

/// <summary>
/// Starts the built web host on a loopback port against a database, signs in with a bearer token, and for every page
/// and GET route of docs/web.md times the first response after a change of the data (one find written through
/// <c>POST /api/records/finds</c> just before, so the answers cache holds nothing for the new data version) and the
/// warm responses (median of three).
/// </summary>
internal sealed class E2eWeb(string webDll, string database, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string logPath)
{
    public const int WarmRequests = 3;
    private int _changes;

    public async Task<List<WebRow>> RunAsync(string backend, string user, string password)
    {
        var rows = new List<WebRow>();
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
        };
        foreach (var a in (string[])[webDll, "--urls", $"http://127.0.0.1:{port}", $"--Groundtruth:Database={database}"]) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var start = Stopwatch.StartNew();
        using var host = Process.Start(info) ?? throw new InvalidOperationException("could not start the web host");
        await using var log = new StreamWriter(logPath);
        var pumps = Task.WhenAll(Pump(host.StandardOutput, log), Pump(host.StandardError, log));
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = timeout };
            var started = await WaitForHealthAsync(http, host, start);
            rows.Add(new WebRow("host start → first /health", backend, started, started is null ? 0 : 200, [], 200, started is null ? "did not start" : null, NotCached: "a start, once"));
            if (started is null) return rows;

            var (tokenSeconds, token) = await TokenAsync(http, user, password);
            rows.Add(new WebRow("POST /api/token", backend, tokenSeconds, token is null ? 401 : 200, [], 200, token is null ? "no token" : null, NotCached: "a sign-in, never kept"));
            if (token is null) return rows;
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var find = await FirstIdAsync(http, "finds");
            var hazard = await FirstIdAsync(http, "hazards");
            var casualty = await FirstIdAsync(http, "casualties");
            var submission = await FirstSubmissionAsync(http);
            var firstChange = true;
            foreach (var route in Routes(find, hazard, casualty, submission))
            {
                var (changeSeconds, changeStatus) = await ChangeAsync(http);
                if (firstChange)
                    rows.Add(new WebRow("POST /api/records/finds (the change)", backend, changeSeconds, changeStatus, [], changeStatus, NotCached: "a write"));
                firstChange = false;
                var asked = Stopwatch.StartNew();
                var (first, firstStatus, location) = await GetWithLocationAsync(http, route);
                // A 202: the route computes; the row also says when the result was ready, and the warm requests ask after that.
                var ready = firstStatus == 202 && location is not null ? await ReadyAsync(http, location, asked) : null;
                var warm = new List<double>();
                var warmStatus = 0;
                for (var i = 0; i < WarmRequests && first is not null; i++)
                {
                    var (w, s) = await GetAsync(http, route);
                    if (w is null) { warmStatus = 0; warm.Clear(); break; }
                    warm.Add(w.Value);
                    warmStatus = s;
                }
                rows.Add(new WebRow("GET " + route, backend, first, firstStatus, warm, warmStatus, first is null ? "timeout" : null) { ReadySeconds = ready });
                Output.Note(string.Create(CultureInfo.InvariantCulture, $"  web {backend} GET {route}: {firstStatus} first {(first is { } f ? f * 1000 : double.NaN):0} ms, warm {(warm.Count > 0 ? VerbRow.Median(warm) * 1000 : double.NaN):0} ms"));
            }
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            await pumps;
        }
        return rows;
    }

    /// <summary>The pages and GET routes of docs/web.md, with real ids of the demo.</summary>
    public static IReadOnlyList<string> Routes(string? find, string? hazard, string? casualty, long? submission)
    {
        var routes = new List<string>
        {
            "/", "/map", "/registers/finds", "/registers/hazards", "/registers/casualties",
            "/entry", "/entry/finds", "/upload", "/workbench", "/audit", "/reports",
            "/health", "/api/me",
            "/api/stats/casualties?from=1996-11-27&by=outcome",
            "/api/stats/casualties?from=2000&where=status%3Dcivilian&by=age_group",
            "/api/stats/finds?where=category%3Danti_personnel_mine&by=place,year",
            "/api/stats/accidents?from=2023-11-01&by=kind",
            "/api/features/finds?bbox=-24.6,-31.3,-24.4,-31.1&limit=100",
            "/api/features/hazards?limit=1000",
            "/api/features/minefield-records?limit=1000",
            "/api/features/land-release?limit=1000",
            "/api/features/accidents?from=2023-11-01&limit=1000",
            "/api/features/casualties?limit=1000",
            "/api/features/places",
            "/api/hazards",
            "/api/registers/finds?q=PMN&sort=found_on&desc=true&limit=50",
            "/api/registers/casualties?limit=50",
            "/api/submissions",
            "/api/users",
            "/api/audit?action=import",
            "/api/records/accuracy/verdicts",
            "/api/export/finds?format=csv",
            "/api/export/hazards?format=geojson",
            "/api/risk/map",
            "/api/risk/map/risk.png",
            "/api/priorities",
            // The same routes as a client that will not hold a request open asks them (docs/web.md): 202 with the
            // progress while the result is computed; the row says when it was ready.
            "/api/risk/map" + RespondAsync,
            "/api/priorities" + RespondAsync,
            "/api/records/accuracy/verdicts" + RespondAsync,
            // The pages that start a computation in the background come after the routes that wait for it: placed
            // earlier, their background work ran beside every later route's first response and slowed it.
            "/risk", "/priorities",
            "/openapi/v1.json",
            "/scalar",
        };
        if (find is not null)
        {
            routes.Add($"/registers/finds/{Uri.EscapeDataString(find)}");
            routes.Add($"/api/registers/finds/{Uri.EscapeDataString(find)}");
        }
        if (hazard is not null)
        {
            routes.Add($"/registers/hazards/{Uri.EscapeDataString(hazard)}");
            routes.Add($"/entry/hazards/{Uri.EscapeDataString(hazard)}/status");
        }
        if (casualty is not null) routes.Add($"/api/casualties/{Uri.EscapeDataString(casualty)}/personal-data");
        if (submission is { } s)
        {
            routes.Add(string.Create(CultureInfo.InvariantCulture, $"/workbench/{s}"));
            routes.Add(string.Create(CultureInfo.InvariantCulture, $"/api/submissions/{s}"));
        }
        return routes;
    }

    /// <summary>A route ending with this is asked with <c>Prefer: respond-async</c>.</summary>
    public const string RespondAsync = " [Prefer: respond-async]";

    private async Task<(double?, int)> GetAsync(HttpClient http, string route) => (await GetWithLocationAsync(http, route)) is var (s, c, _) ? (s, c) : default;

    private static async Task<(double?, int, string?)> GetWithLocationAsync(HttpClient http, string route)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, route.EndsWith(RespondAsync, StringComparison.Ordinal) ? route[..^RespondAsync.Length] : route);
            if (route.EndsWith(RespondAsync, StringComparison.Ordinal)) request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
            // Read to the last byte as a download is, without holding it in memory (a 190 MB export buffered whole
            // measured the client's copying, not the host).
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using (var body = await response.Content.ReadAsStreamAsync()) await body.CopyToAsync(Stream.Null);
            return (sw.Elapsed.TotalSeconds, (int)response.StatusCode, response.Headers.Location?.OriginalString);
        }
        catch (TaskCanceledException)
        {
            return (null, 0, null);
        }
    }

    /// <summary>After a 202: polls the status route every 200 ms until it says ready (or failed); seconds since <paramref name="started"/>.</summary>
    private static async Task<double?> ReadyAsync(HttpClient http, string statusUrl, Stopwatch started)
    {
        while (started.Elapsed < http.Timeout)
        {
            using var r = await http.GetAsync(statusUrl);
            if (!r.IsSuccessStatusCode) return null;
            using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
            if (doc.RootElement.TryGetProperty("state", out var state) && state.GetString() is "ready" or "failed") return started.Elapsed.TotalSeconds;
            await Task.Delay(200);
        }
        return null;
    }

    /// <summary>One new find through the records API: the data version moves, every cached answer is stale.</summary>
    private async Task<(double?, int)> ChangeAsync(HttpClient http)
    {
        var n = Interlocked.Increment(ref _changes);
        var body = new Dictionary<string, object>
        {
            ["id"] = string.Create(CultureInfo.InvariantCulture, $"E2E-{Environment.ProcessId}-{n}"),
            ["found_on"] = "2026-01-15",
            ["category"] = "anti_personnel_mine",
            ["quantity"] = 1,
            ["lon"] = -24.5 + n * 1e-5,
            ["lat"] = -31.2,
        };
        var sw = Stopwatch.StartNew();
        try
        {
            using var response = await http.PostAsJsonAsync("/api/records/finds", body);
            if (!response.IsSuccessStatusCode) Output.Note($"  the change was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return (sw.Elapsed.TotalSeconds, (int)response.StatusCode);
        }
        catch (TaskCanceledException)
        {
            return (null, 0);
        }
    }

    private static async Task<double?> WaitForHealthAsync(HttpClient http, Process host, Stopwatch start)
    {
        while (start.Elapsed < http.Timeout && !host.HasExited)
        {
            try
            {
                using var r = await http.GetAsync("/health");
                if (r.StatusCode == HttpStatusCode.OK) return start.Elapsed.TotalSeconds;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        return null;
    }

    private static async Task<(double?, string?)> TokenAsync(HttpClient http, string user, string password)
    {
        var sw = Stopwatch.StartNew();
        using var r = await http.PostAsJsonAsync("/api/token", new { name = user, password });
        var seconds = sw.Elapsed.TotalSeconds;
        if (!r.IsSuccessStatusCode) return (seconds, null);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        foreach (var name in (string[])["access_token", "accessToken"])
        {
            if (doc.RootElement.TryGetProperty(name, out var t)) return (seconds, t.GetString());
        }
        return (seconds, null);
    }

    private static async Task<string?> FirstIdAsync(HttpClient http, string dataset)
    {
        using var r = await http.GetAsync($"/api/registers/{dataset}?limit=1");
        if (!r.IsSuccessStatusCode) return null;
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return doc.RootElement.TryGetProperty("rows", out var rows) && rows.GetArrayLength() > 0 && rows[0].TryGetProperty("id", out var id)
            ? id.ToString()
            : null;
    }

    private static async Task<long?> FirstSubmissionAsync(HttpClient http)
    {
        using var r = await http.GetAsync("/api/submissions");
        if (!r.IsSuccessStatusCode) return null;
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        var list = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement
            : doc.RootElement.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.Array);
        return list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0 && list[0].TryGetProperty("id", out var id) && id.TryGetInt64(out var v)
            ? v
            : null;
    }

    private static async Task Pump(StreamReader reader, StreamWriter log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log) log.WriteLine(line);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
