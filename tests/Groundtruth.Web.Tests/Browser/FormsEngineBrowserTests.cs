using System.Globalization;
using Groundtruth.Application.Datasets;
using Groundtruth.Application.Forms;
using Groundtruth.Application.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Groundtruth.Web.Tests.Browser;

/// <summary>
/// Every generated XForm in ODK's own form engine (@getodk/web-forms, bundled offline in tests/forms-engine) in
/// headless Chromium: the form loads, each question is answered through its control (the GPS from the browser's
/// geolocation, the perimeter pasted in ODK's format), the engine submits its instance XML, and that submission
/// imports into a GeoPackage and a PostgreSQL database where the stored record holds what was typed.
/// Skipped locally without Chromium or the built engine; fails under CI=true.
/// </summary>
[Collection(typeof(BrowserCollection))]
public sealed class FormsEngineBrowserTests
{
    private const string Origin = "http://localhost:5999";
    private const double Latitude = -35.25, Longitude = -15.5, Accuracy = 4;
    private const string TypedDate = "2024-05-02";

    /// <summary>A fictional square in the open South Atlantic, as ODK writes a geoshape (lat lon alt acc; closed).</summary>
    private const string Perimeter = "-35.2 -15.4 0 0;-35.2 -15.41 0 0;-35.21 -15.41 0 0;-35.21 -15.4 0 0;-35.2 -15.4 0 0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Forms() => [.. FieldForm.Datasets.Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task XForm_LoadsInOdkWebForms_FilledAndSubmitted_ImportsAsTyped(string dataset)
    {
        var dist = EngineDist();
        var form = FieldForm.For(DatasetCatalog.Find(dataset)!);
        var xform = XFormWriter.Document(form).ToString();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserTests.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Geolocation = new Geolocation { Latitude = (float)Latitude, Longitude = (float)Longitude, Accuracy = (float)Accuracy },
            Permissions = ["geolocation"],
            TimezoneId = "UTC",
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.PageError += (_, e) => console.Add(e);
        // The engine's page is served from the built bundle; nothing else is reachable (the map's tiles are refused).
        await page.RouteAsync(Origin + "/**", async route =>
        {
            var local = new Uri(route.Request.Url).AbsolutePath.TrimStart('/');
            var file = Path.Combine(dist, local.Length == 0 ? "index.html" : local);
            if (!File.Exists(file)) { await route.FulfillAsync(new RouteFulfillOptions { Status = 404 }); return; }
            await route.FulfillAsync(new RouteFulfillOptions { BodyBytes = await File.ReadAllBytesAsync(file), ContentType = file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/html" });
        });
        await page.RouteAsync(url => !url.StartsWith(Origin, StringComparison.Ordinal), route => route.AbortAsync());
        await page.AddInitScriptAsync($"window.groundtruthForm = {System.Text.Json.JsonSerializer.Serialize(xform)};");
        await page.GotoAsync(Origin + "/index.html");
        await page.WaitForSelectorAsync(".odk-form, .form-load-failure-dialog");
        if (await page.Locator(".form-load-failure-dialog").CountAsync() > 0)
            Assert.Fail($"ODK Web Forms could not load {form.FormId}: {await page.Locator(".form-load-failure-dialog").InnerTextAsync()} {string.Join(" | ", console)}");

        var typed = new Dictionary<string, object?>();
        foreach (var q in form.Questions) typed[q.Name] = await AnswerAsync(page, q, inRepeat: false);
        var typedCasualty = new Dictionary<string, object?>();
        if (form.Repeat is { } repeat)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Add " + repeat.Label }).ClickAsync();
            foreach (var q in repeat.Questions) typedCasualty[q.Name] = await AnswerAsync(page, q, inRepeat: true);
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("window.groundtruthSubmissions.length > 0 || document.querySelector('.validation-message:not([style*=\"none\"])') !== null");
        var submissions = await page.EvaluateAsync<string[]>("window.groundtruthSubmissions");
        if (submissions.Length == 0) Assert.Fail("the engine refused the answers: " + string.Join(" | ", await page.Locator(".validation-message").AllInnerTextsAsync()));

        var submission = System.Xml.Linq.XDocument.Parse(submissions[0]);
        submission.Root!.Attribute("id")!.Value.ShouldBe(form.FormId);
        var instanceId = submission.Descendants().Single(e => e.Name.LocalName == "instanceID").Value;
        instanceId.ShouldStartWith("uuid:");
        var id = instanceId[5..];

        await using var geoPackage = await TestDatabase.CreateAsync();
        await using var postgres = await TestDatabase.CreatePostgresAsync();
        foreach (var database in new[] { geoPackage, postgres })
        {
            await SeedActivityAsync(database);
            var file = Path.Combine(database.Folder, "submission.xml");
            await File.WriteAllTextAsync(file, submissions[0], Ct);
            var results = await new FormSubmissionImport(database.Target, TimeProvider.System).HandleAsync(new FormSubmissionRequest(file, Actor: "test"), null, Ct);
            results.Sum(r => r.Inserted).ShouldBe(1 + (typedCasualty.Count > 0 ? 1 : 0));

            var stored = await RowAsync(database, form.Dataset.Table, id);
            AssertStored(form.Dataset, stored, typed, database.Setting);
            if (form.Repeat is { } r)
            {
                var casualty = await RowAsync(database, r.Dataset.Table, id + "-1");
                casualty["accident_id"].ShouldBe(id);
                AssertStored(r.Dataset, casualty, typedCasualty, database.Setting);
                // Age typed, so the age group was not asked: the import derives it (a child is under 18).
                casualty["age_group"].ShouldBe((int)typedCasualty["age"]! < 18 ? "child" : "adult");
            }
        }
    }

    /// <summary>Answers one question through its control; returns the value the store should hold, or null when the form did not show it.</summary>
    private static async Task<object?> AnswerAsync(IPage page, FormQuestion q, bool inRepeat)
    {
        var containers = page.Locator(".question-container").Filter(new() { Has = page.Locator(".control-text label").GetByText(q.Label, new() { Exact = true }) });
        if (await containers.CountAsync() == 0) return null; // not relevant with the answers given so far
        var container = inRepeat ? containers.Last : containers.First;
        switch (q.Type)
        {
            case FormQuestionType.Text:
            {
                var value = q.Name switch
                {
                    "hazard_id" => "HA-001",
                    "activity_id" => "A-FORM",
                    "derived_from" => "HA-002",
                    _ => "Typed " + q.Name.Replace('_', ' '),
                };
                await container.Locator("input, textarea").First.FillAsync(value);
                return value;
            }
            case FormQuestionType.Integer or FormQuestionType.Decimal:
            {
                var field = q.Field!;
                double value = q.Type == FormQuestionType.Decimal ? (field.Min ?? 0) + 12.5
                    : field.Min is { } min && field.Max is { } max ? Math.Floor(min + (max - min) / 2) : (field.Min ?? 0) + 2;
                var input = container.Locator("input").First;
                await input.ClickAsync();
                await input.PressAsync("Control+a"); // replaces a default (quantity 1) instead of appending to it
                await input.PressSequentiallyAsync(value.ToString(CultureInfo.InvariantCulture));
                await input.PressAsync("Tab");
                return q.Type == FormQuestionType.Integer ? (int)value : (object)value;
            }
            case FormQuestionType.Date:
            {
                var input = container.Locator("input").First;
                await input.ClickAsync();
                var date = DateOnly.ParseExact(TypedDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                await input.PressSequentiallyAsync(date.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture));
                await input.PressAsync("Enter");
                await page.Keyboard.PressAsync("Escape");
                await container.Locator(".control-text label").ClickAsync();
                return TypedDate;
            }
            case FormQuestionType.SelectOne:
            {
                var choice = q.Choices!.Choices[Math.Min(1, q.Choices.Choices.Count - 1)];
                await container.GetByText(choice.Label, new() { Exact = true }).ClickAsync();
                return q.Choices == FormChoiceList.YesNo ? choice.Name == "yes" : choice.Name;
            }
            case FormQuestionType.SelectMultiple:
            {
                var chosen = q.Choices!.Choices.Take(2).ToList();
                foreach (var c in chosen) await container.GetByText(c.Label, new() { Exact = true }).ClickAsync();
                return string.Join(';', chosen.Select(c => c.Name));
            }
            case FormQuestionType.Geopoint:
                await container.Locator("button.get-location-button").ClickAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Save location" }).ClickAsync();
                await container.Locator(".geolocation-formatted-value").WaitForAsync();
                return (Longitude, Latitude, Longitude, Latitude);
            case FormQuestionType.Geoshape:
                await container.Locator("button.advanced-button").ClickAsync();
                await container.Locator("a.paste-location").ClickAsync();
                await page.Locator("#paste-input").FillAsync(Perimeter);
                await page.Locator(".map-paste-dialog").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
                await container.GetByText("No shape saved").WaitForAsync(new() { State = WaitForSelectorState.Detached });
                return (-15.41, -35.21, -15.4, -35.2);
            default:
                throw new InvalidOperationException($"no way to answer a {q.Type}");
        }
    }

    private static void AssertStored(DatasetSpec dataset, Dictionary<string, object?> stored, Dictionary<string, object?> typed, string where)
    {
        foreach (var (name, value) in typed)
        {
            if (value is ValueTuple<double, double, double, double> (var minX, var minY, var maxX, var maxY))
            {
                Convert.ToDouble(stored["min_x"], CultureInfo.InvariantCulture).ShouldBe(minX, 1e-9, $"{dataset.Name} {name} in {where}");
                Convert.ToDouble(stored["min_y"], CultureInfo.InvariantCulture).ShouldBe(minY, 1e-9, $"{dataset.Name} {name} in {where}");
                Convert.ToDouble(stored["max_x"], CultureInfo.InvariantCulture).ShouldBe(maxX, 1e-9, $"{dataset.Name} {name} in {where}");
                Convert.ToDouble(stored["max_y"], CultureInfo.InvariantCulture).ShouldBe(maxY, 1e-9, $"{dataset.Name} {name} in {where}");
                if (name == FieldForm.LocationQuestion && dataset.Field("location_accuracy_m") is not null)
                    Convert.ToDouble(stored["location_accuracy_m"], CultureInfo.InvariantCulture).ShouldBe(Accuracy, $"GPS accuracy in {where}");
                continue;
            }
            var actual = stored[name];
            switch (value)
            {
                case null:
                    if (dataset.Field(name)?.DefaultValue is null) actual.ShouldBeNull($"{dataset.Name}.{name} was not shown, in {where}");
                    break;
                case bool b:
                    Convert.ToBoolean(actual, CultureInfo.InvariantCulture).ShouldBe(b, $"{dataset.Name}.{name} in {where}");
                    break;
                case int i:
                    Convert.ToInt64(actual, CultureInfo.InvariantCulture).ShouldBe(i, $"{dataset.Name}.{name} in {where}");
                    break;
                case double d:
                    Convert.ToDouble(actual, CultureInfo.InvariantCulture).ShouldBe(d, $"{dataset.Name}.{name} in {where}");
                    break;
                default:
                    Convert.ToString(actual, CultureInfo.InvariantCulture).ShouldBe((string)value, $"{dataset.Name}.{name} in {where}");
                    break;
            }
        }
    }

    private static async Task<Dictionary<string, object?>> RowAsync(TestDatabase database, string table, string id)
    {
        await using var db = database.Target.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"id\" = @id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        (await reader.ReadAsync(Ct)).ShouldBeTrue($"no {table} record {id} in {database.Setting}");
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return row;
    }

    /// <summary>A technical survey of HA-001 for the land release and find forms to name.</summary>
    private static async Task SeedActivityAsync(TestDatabase database)
    {
        var csv = Path.Combine(database.Folder, "activities.csv");
        await File.WriteAllTextAsync(csv, "id,type,hazard_id,status\nA-FORM,technical_survey,HA-001,completed\n", Ct);
        await new ImportHandler(database.Target, TimeProvider.System).HandleAsync(new ImportRequest(DatasetCatalog.Activities, csv, Actor: "test"), null, Ct);
    }

    /// <summary>The engine's page built by <c>npm ci &amp;&amp; npm run build</c> in tests/forms-engine (.ci/run does it).</summary>
    private static string EngineDist()
    {
        if (!File.Exists(BrowserTests.Chromium)) Unavailable($"{BrowserTests.Chromium} is missing; install it with: apt-get install -y chromium");
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Groundtruth.slnx"))) dir = dir.Parent;
        var dist = Path.Combine(dir!.FullName, "tests", "forms-engine", "dist");
        if (!File.Exists(Path.Combine(dist, "index.html"))) Unavailable($"ODK Web Forms is not built: run 'npm ci && npm run build' in tests/forms-engine");
        return dist;
    }

    private static void Unavailable(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(reason + " (required under CI)");
        Assert.Skip(reason);
    }
}
