namespace Groundtruth.Application;

/// <summary>
/// A failure the user can act on, classified by its kind so each front end answers it one way (docs/decisions/0020-access-and-errors.md):
/// the web host maps the kind to an HTTP status with problem details, the command line to an exit code. Any other exception is a bug.
/// </summary>
public abstract class GroundtruthException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A parameter of the request has a value the use case cannot take (HTTP 400 with the parameter named; exit code 2).</summary>
/// <param name="parameter">The parameter as the use case names it (snake_case: <c>min_processed</c>, <c>in</c>); the CLI shows it as <c>--min-processed</c>.</param>
/// <param name="reason">What is wrong with its value, without the parameter's name: "must be a share between 0 and 1".</param>
public class InvalidRequestException(string parameter, string reason, Exception? inner = null) : GroundtruthException($"{parameter}: {reason}", inner)
{
    public string Parameter { get; } = parameter;

    public string Reason { get; } = reason;
}

/// <summary>What the request names does not exist (HTTP 404; exit code 2).</summary>
public class NotFoundException(string message) : GroundtruthException(message);

/// <summary>The caller's <see cref="Security.Access"/> does not allow the request; nothing was read or stored (HTTP 403; exit code 2).</summary>
public class ForbiddenException(string message) : GroundtruthException(message);

/// <summary>The request contradicts the current state (a decision on a decided submission, a demo into a filled database) (HTTP 409; exit code 1).</summary>
public class ConflictException(string message) : GroundtruthException(message);

/// <summary>The stored or supplied data cannot support the request (HTTP 422; exit code 1).</summary>
public class BadDataException(string message, Exception? inner = null) : GroundtruthException(message, inner);
