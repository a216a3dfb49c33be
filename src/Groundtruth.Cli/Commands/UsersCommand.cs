using System.CommandLine;
using Groundtruth.Application.Users;

namespace Groundtruth.Cli.Commands;

/// <summary><c>groundtruth users add NAME --role ROLE</c>: how the first administrator comes to exist.</summary>
internal static class UsersCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "the user's sign-in name" };
        var role = new Option<string[]>("--role")
        {
            Description = $"a role (repeatable): {string.Join(", ", Roles.Ranks)}; add {Roles.PersonalData} to let the user read casualties' personal data",
            HelpName = "ROLE",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var password = new Option<string?>("--password")
        {
            Description = "the password (at least 12 characters); visible to other users of this machine, prefer --password-stdin",
            HelpName = "PASSWORD",
        };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the password from the first line of standard input" };
        var add = new Command("add", "Add a user with roles, or set an existing user's roles and password anew (and lift a lockout). Prints a generated password when none is given.")
        {
            name, role, password, passwordStdin,
        };
        add.SetAction((parse, ct) => context.Guard(async () =>
        {
            var given = parse.GetValue(password);
            if (parse.GetValue(passwordStdin)) given = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n');
            var result = await new AddUserHandler(context.Target(parse), context.Clock).HandleAsync(
                new AddUserRequest(parse.GetValue(name)!, parse.GetValue(role) ?? [], given, Environment.UserName), ct);
            await context.Output.WriteLineAsync($"{(result.Created ? "added" : "updated")} user {result.Name} with role(s) {string.Join(", ", result.Roles)}");
            if (result.GeneratedPassword is { } p) await context.Output.WriteLineAsync($"password: {p}");
            return ExitCodes.Success;
        }));
        return new Command("users", "Manage the web application's users.") { add };
    }
}
