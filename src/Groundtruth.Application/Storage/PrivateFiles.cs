namespace Groundtruth.Application.Storage;

/// <summary>
/// Files and folders holding programme data (uploads, exports on their way out, databases, risk maps) are readable by
/// the user Groundtruth runs as and nobody else (DESIGN section 7): on Unix, folders 0700 and files 0600; temporary
/// folders get unpredictable names, made atomically, so another local user cannot create one first and read what is
/// written into it.
/// </summary>
public static class PrivateFiles
{
    /// <summary>rwx for the owner only (0700).</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// A new, empty folder under the system temporary folder named <paramref name="prefix"/> plus random characters,
    /// 0700 (<c>mkdtemp</c>: it fails rather than reuse a folder that already exists).
    /// </summary>
    public static string CreateTemporaryFolder(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Creates (or truncates) a file for writing, 0600 when it is created.</summary>
    public static FileStream Create(string path, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var settings = new FileStreamOptions
        {
            Mode = System.IO.FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = bufferSize,
            Options = options,
        };
        if (!OperatingSystem.IsWindows()) settings.UnixCreateMode = FileMode;
        return new FileStream(path, settings);
    }

    /// <summary>
    /// Makes a new, empty database file 0600 before SQLite opens it, so neither it nor the journal SQLite creates beside
    /// it (SQLite gives those the database file's mode) is readable by others. An existing file is left as it is.
    /// </summary>
    public static void CreateDatabaseFile(string path)
    {
        if (File.Exists(path)) return;
        var settings = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) settings.UnixCreateMode = FileMode;
        using var _ = new FileStream(path, settings);
    }
}
