using Groundtruth.Web.Setup;

// The Groundtruth web host. `-- --demo` serves a fresh synthetic database; `--urls URL` moves it off 127.0.0.1:5080.
// `groundtruth serve` runs the same host from the command-line executable.
return await GroundtruthWebHost.RunAsync(args);

/// <summary>The entry point, visible to <c>WebApplicationFactory&lt;Program&gt;</c> in the tests.</summary>
public partial class Program;
