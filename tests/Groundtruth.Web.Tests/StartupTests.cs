using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Groundtruth.Web.Setup;
using Microsoft.Extensions.Configuration;

namespace Groundtruth.Web.Tests;

/// <summary>Starting the host: which database, which address, and a clear refusal when the database is not ready.</summary>
public sealed class StartupTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_OnKestrel_ServesTheConfiguredDatabaseOnLoopback()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var web = WebProcess.Start(database.Folder, "--urls", "http://127.0.0.1:0", "--Groundtruth:Database", database.Path);

        var (url, served) = await web.ListeningAsync(Startup);

        url.Host.ShouldBe("127.0.0.1");
        url.Port.ShouldBeGreaterThan(0);
        served.ShouldBe(database.Path);
        using var client = new HttpClient { BaseAddress = url };
        using var health = await client.GetAsync("/health", Ct);
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        var footer = Footer(await client.GetStringAsync("/login", Ct));
        footer.ShouldBe("Only approved data counts unless a page says otherwise.", "a programme's own database is not called synthetic demo data");
        client.DefaultRequestHeaders.Authorization = new("Bearer", await TestUsers.TokenAsync(client, "analyst"));
        using var hazards = await client.GetFromJsonAsync<JsonDocument>("/api/hazards?bbox=-25,-32,-24.5,-30.8", Ct);
        hazards!.RootElement.GetProperty("features").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Start_DefaultDatabase_IsGroundtruthGpkgInTheWorkingDirectory()
    {
        await using var database = await TestDatabase.CreateAsync(withHazards: false);
        using var web = WebProcess.Start(database.Folder, "--urls", "http://127.0.0.1:0");

        var (_, served) = await web.ListeningAsync(Startup);

        served.ShouldBe(Path.Combine(database.Folder, "groundtruth.gpkg"));
    }

    [Fact]
    public async Task Start_Demo_ServesAFreshSyntheticDatabaseInItsOwnTemporaryFolder()
    {
        await using var workingDirectory = TestDatabase.Missing();
        using var web = WebProcess.Start(workingDirectory.Folder, "--demo", "--urls", "http://127.0.0.1:0", "--Groundtruth:DemoPassword", TestUsers.Password);
        string? demoFolder = null;
        try
        {
            var (url, served) = await web.ListeningAsync(Startup);
            demoFolder = Path.GetDirectoryName(served)!;

            Path.GetFileName(served).ShouldBe("demo.gpkg");
            Path.GetDirectoryName(demoFolder).ShouldBe(Path.GetTempPath().TrimEnd('/'));
            Path.GetFileName(demoFolder).ShouldStartWith("groundtruth-demo-");
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(demoFolder).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "the demo's folder is private");
                File.GetUnixFileMode(served).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the demo database is private");
            }
            using var client = new HttpClient { BaseAddress = url };
            Footer(await client.GetStringAsync("/login", Ct)).ShouldBe("Synthetic, fictional demo data only. Only approved data counts unless a page says otherwise.");
            client.DefaultRequestHeaders.Authorization = new("Bearer", await TestUsers.TokenAsync(client, "analyst"));
            using var hazards = await client.GetFromJsonAsync<JsonDocument>("/api/hazards", Ct);
            hazards!.RootElement.GetProperty("features").GetArrayLength().ShouldBeGreaterThan(0);
            Directory.EnumerateFileSystemEntries(workingDirectory.Folder).ShouldBeEmpty("--demo leaves the working directory alone");
        }
        finally
        {
            web.Dispose();
            if (demoFolder is not null && Directory.Exists(demoFolder)) Directory.Delete(demoFolder, recursive: true);
        }
    }

    [Fact]
    public async Task Start_BadIdPattern_FailsWithOneLineNamingTheSetting()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var web = WebProcess.Start(database.Folder, "--urls", "http://127.0.0.1:0", "--Groundtruth:Database", database.Path, "--Groundtruth:Ids:finds", "FND-{yyyy}");

        var exitCode = await web.ExitCodeAsync(Startup);

        exitCode.ShouldBe(2);
        web.Errors.ShouldHaveSingleItem().ShouldBe("error: Groundtruth:Ids:finds: the id pattern 'FND-{yyyy}' needs exactly one {seq} (or {seq:00000} for a width); it has 0");
        web.Output.ShouldNotContain("listening");
    }

    [Fact]
    public async Task Start_DatabaseNotInitialised_FailsWithOneLineThatSaysRunInit()
    {
        await using var database = TestDatabase.Missing();
        await File.WriteAllBytesAsync(database.Path, [], Ct);
        using var web = WebProcess.Start(database.Folder, "--urls", "http://127.0.0.1:0", "--Groundtruth:Database", database.Path);

        var exitCode = await web.ExitCodeAsync(Startup);

        exitCode.ShouldBe(1);
        var error = web.Errors.ShouldHaveSingleItem();
        error.ShouldStartWith("error: the database schema is not current");
        error.ShouldContain("run 'groundtruth init'");
        error.ShouldContain(database.Path);
        web.Output.ShouldNotContain("listening");
    }

    [Fact]
    public async Task Start_DatabaseMissing_FailsWithOneLineNamingTheFileAndDoesNotCreateIt()
    {
        await using var database = TestDatabase.Missing();
        using var web = WebProcess.Start(database.Folder, "--urls", "http://127.0.0.1:0");

        var exitCode = await web.ExitCodeAsync(Startup);

        exitCode.ShouldBe(1);
        web.Errors.ShouldHaveSingleItem().ShouldBe(
            $"error: {database.Path} does not exist; create it with 'groundtruth init' (or 'groundtruth demo')");
        File.Exists(database.Path).ShouldBeFalse();
    }

    [Fact]
    public void DefaultUrls_NothingConfigured_IsLoopbackPort5080()
    {
        GroundtruthSetup.DefaultUrls(Configuration()).ShouldBe("http://127.0.0.1:5080");
    }

    [Theory]
    [InlineData("urls", "http://127.0.0.1:6000")]
    [InlineData("http_ports", "8080")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:6001")]
    public void DefaultUrls_AddressConfigured_LeavesItAlone(string key, string value)
    {
        GroundtruthSetup.DefaultUrls(Configuration((key, value))).ShouldBeNull();
    }

    [Fact]
    public void HostArguments_Demo_IsTakenOutBeforeConfigurationReadsTheRest()
    {
        string[] args = ["--demo", "--urls", "http://127.0.0.1:6000"];

        HostArguments.HasDemo(args).ShouldBeTrue();
        HostArguments.WithoutDemo(args).ShouldBe(["--urls", "http://127.0.0.1:6000"]);
        HostArguments.HasDemo(["--urls", "http://127.0.0.1:6000"]).ShouldBeFalse();
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    /// <summary>The text of a page's footer.</summary>
    private static string Footer(string html) =>
        System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "<footer>(.*?)</footer>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value).Trim();
}
