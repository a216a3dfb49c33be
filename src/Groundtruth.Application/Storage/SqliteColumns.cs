using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace Groundtruth.Application.Storage;

/// <summary>
/// SQLite's statement stepping and column accessors called on the statement's raw handle, for <see cref="RowCells"/>' reads of
/// whole tables. SQLitePCL's own take the statement as a safe handle, counted up and down on every call: a million finds are
/// a dozen million calls, and the counting was half the time of reading them (issue 16: 1.33 against 0.66 processor seconds
/// for the same calls on scale 500's finds). The caller holds the safe handle for as long as it reads (<see cref="SafeHandle.DangerousAddRef"/>).
/// </summary>
internal static partial class SqliteColumns
{
    private const string Library = "e_sqlite3";

    /// <summary>Whether the library SQLitePCL calls is the one these bind to (another provider's handles are not ours to pass).</summary>
    private static bool Usable { get; } = string.Equals(raw.GetNativeLibraryName(), Library, StringComparison.Ordinal);

    // SQLite's functions are C functions (cdecl): said so, for any platform whose default differs.
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(nint statement);

    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    public static partial int Type(nint statement, int column);

    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [LibraryImport(Library, EntryPoint = "sqlite3_column_double")]
    public static partial double Double(nint statement, int column);

    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    public static partial long Int64(nint statement, int column);

    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    private static partial nint Blob(nint statement, int column);

    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    private static partial int Length(nint statement, int column);

    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [LibraryImport(Library, EntryPoint = "sqlite3_db_handle")]
    private static partial nint Connection(nint statement);

    /// <summary>Whether these functions read <paramref name="statement"/> (a raw statement handle) as SQLite's own: the connection they find for it is <paramref name="connection"/>'s (the same library, loaded once).</summary>
    public static bool Reads(nint statement, nint connection) => Usable && Connection(statement) == connection;

    /// <summary>The cell's bytes (a text's UTF-8), valid until the statement steps again; empty for NULL or an empty value.</summary>
    public static unsafe ReadOnlySpan<byte> Bytes(nint statement, int column)
    {
        // The blob first, then its length (SQLite's documented order).
        var start = Blob(statement, column);
        return start == 0 ? default : new ReadOnlySpan<byte>((void*)start, Length(statement, column));
    }
}
