using Groundtruth.Cli;

return await GroundtruthCli.RunAsync(args, Console.Out, Console.Error);
