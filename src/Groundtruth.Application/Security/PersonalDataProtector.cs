using System.Security.Cryptography;
using System.Text.Json;
using Groundtruth.Domain;

namespace Groundtruth.Application.Security;

/// <summary>
/// Encrypts casualties' personal data with AES-256-GCM under a key kept outside the database, so a
/// copied .gpkg opened in a GIS shows no names, birth dates or injuries.
/// </summary>
/// <remarks>
/// The key comes from <c>GROUNDTRUTH_PERSONAL_DATA_KEY</c> (32 bytes, base64), or the file named by
/// <c>GROUNDTRUTH_KEY_FILE</c>, or <c>&lt;database&gt;.key</c> beside a GeoPackage. docs/personal-data.md explains.
/// </remarks>
public sealed class PersonalDataProtector
{
    public const string KeyVariable = "GROUNDTRUTH_PERSONAL_DATA_KEY";
    public const string KeyFileVariable = "GROUNDTRUTH_KEY_FILE";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public PersonalDataProtector(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("the personal-data key must be 32 bytes (256 bits)", nameof(key));
        _key = key;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key))[..16];
    }

    /// <summary>A fingerprint of the key, stored beside each ciphertext; not the key.</summary>
    public string KeyId { get; }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>The configured key, or null when none is configured.</summary>
    /// <exception cref="BadDataException">A key is configured but unreadable.</exception>
    public static PersonalDataProtector? FromConfiguration(string? databaseFile)
    {
        var text = Environment.GetEnvironmentVariable(KeyVariable);
        var file = Environment.GetEnvironmentVariable(KeyFileVariable);
        if (string.IsNullOrWhiteSpace(file) && databaseFile is not null && File.Exists(databaseFile + ".key")) file = databaseFile + ".key";
        if (string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(file)) text = File.ReadAllText(file);
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return new PersonalDataProtector(Convert.FromBase64String(text.Trim()));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new BadDataException($"the personal-data key ({(file ?? KeyVariable)}) must be 32 bytes in base64: {e.Message}", e);
        }
    }

    /// <summary>Writes a new key file readable only by its owner.</summary>
    public static void WriteKeyFile(string path)
    {
        File.WriteAllText(path, Convert.ToBase64String(NewKey()) + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public byte[] Protect(CasualtyPersonalData data)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(new Payload(data.Name, data.DateOfBirth?.ToString(), data.Injuries));
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return output;
    }

    /// <exception cref="CryptographicException">The ciphertext was made with another key or altered.</exception>
    public CasualtyPersonalData Unprotect(byte[] ciphertext)
    {
        var plain = new byte[ciphertext.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(ciphertext.AsSpan(0, NonceSize), ciphertext.AsSpan(NonceSize + TagSize), ciphertext.AsSpan(NonceSize, TagSize), plain);
        var p = JsonSerializer.Deserialize<Payload>(plain)!;
        return new CasualtyPersonalData(p.Name, p.DateOfBirth is null ? null : PartialDate.Parse(p.DateOfBirth), p.Injuries);
    }

    private sealed record Payload(string? Name, string? DateOfBirth, string? Injuries);
}
