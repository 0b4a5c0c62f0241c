using System.Text.Json;
using FaceDefender.Abstractions;

namespace FaceDefender.Avatars;

/// <summary>One entry of an avatar manifest. Immutable.</summary>
/// <param name="File">Image path relative to the manifest's folder (forward slashes allowed).</param>
/// <param name="Sex">Sex the avatar presents.</param>
/// <param name="AgeYears">Apparent age in years.</param>
/// <param name="SkinTone">Skin tone class.</param>
/// <param name="License">Licence of the image (SPDX identifier or text).</param>
/// <param name="Id">Identifier (the file name when the manifest gives none).</param>
public sealed record AvatarManifestEntry(string File, AvatarSex Sex, int AgeYears, SkinTone SkinTone, string License, string Id);

/// <summary>
/// The manifest of a user's avatar set: a JSON file in the set's folder.
/// </summary>
/// <remarks>
/// Format (property names are case-insensitive):
/// <code>
/// { "avatars": [
///     { "file": "f30.png", "sex": "female", "age": 30, "skinTone": "light", "licence": "CC0-1.0", "id": "optional" },
///     ...
/// ] }
/// </code>
/// <c>sex</c> is <c>female</c> or <c>male</c>; <c>skinTone</c> is <c>light</c>, <c>medium</c> or <c>dark</c>;
/// <c>age</c> is a whole number of years (0..130); <c>licence</c> (or <c>license</c>) is required.
/// Files must stay inside the folder and appear once; ids must be unique.
/// </remarks>
public static class AvatarManifest
{
    /// <summary>The manifest's usual file name.</summary>
    public const string DefaultFileName = "avatars.json";

    /// <summary>Parses and checks a manifest.</summary>
    /// <param name="json">The manifest text.</param>
    /// <param name="folder">The folder the files are relative to; files must exist there.</param>
    /// <param name="manifestName">The manifest's name for messages.</param>
    /// <exception cref="AvatarSetException">Malformed JSON, a missing or invalid field, a duplicate, a path outside the folder or a missing file.</exception>
    public static IReadOnlyList<AvatarManifestEntry> Parse(string json, string folder, string manifestName = DefaultFileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new AvatarSetException($"{manifestName} is not valid JSON ({e.Message}). Fix the syntax; see the documented format.", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !TryGet(doc.RootElement, "avatars", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new AvatarSetException($"{manifestName} must be an object with an \"avatars\" array.");
            }

            if (list.GetArrayLength() == 0)
            {
                throw new AvatarSetException($"{manifestName} lists no avatars; add at least one entry.");
            }

            string root = Path.GetFullPath(folder);
            var entries = new List<AvatarManifestEntry>();
            var files = new Dictionary<string, int>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            int index = 0;
            foreach (JsonElement e in list.EnumerateArray())
            {
                string where = $"{manifestName}, avatars[{index}]";
                if (e.ValueKind != JsonValueKind.Object)
                {
                    throw new AvatarSetException($"{where} must be an object.");
                }

                string file = RequiredString(e, "file", where);
                string full = Path.GetFullPath(Path.Combine(root, file));
                if (!full.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new AvatarSetException($"{where}: file \"{file}\" is outside the avatar folder; use a path relative to the folder.");
                }

                if (files.TryGetValue(full, out int first))
                {
                    throw new AvatarSetException($"{where}: file \"{file}\" is already listed at avatars[{first}]; list each image once.");
                }

                if (!System.IO.File.Exists(full))
                {
                    throw new AvatarSetException($"{where}: file \"{file}\" does not exist in the avatar folder.");
                }

                AvatarSex sex = RequiredString(e, "sex", where).ToLowerInvariant() switch
                {
                    "female" or "f" => AvatarSex.Female,
                    "male" or "m" => AvatarSex.Male,
                    string s => throw new AvatarSetException($"{where}: sex \"{s}\" is not \"female\" or \"male\"."),
                };
                if (!TryGet(e, "age", out JsonElement ageEl) || ageEl.ValueKind != JsonValueKind.Number || !ageEl.TryGetInt32(out int age) || age < 0 || age > AvatarAgeBuckets.MaxAgeYears)
                {
                    throw new AvatarSetException($"{where}: \"age\" must be a whole number of years between 0 and {AvatarAgeBuckets.MaxAgeYears}.");
                }

                string toneText = RequiredString(e, "skinTone", where);
                SkinTone tone = toneText.ToLowerInvariant() switch
                {
                    "light" => SkinTone.Light,
                    "medium" => SkinTone.Medium,
                    "dark" => SkinTone.Dark,
                    _ => throw new AvatarSetException($"{where}: skinTone \"{toneText}\" is not \"light\", \"medium\" or \"dark\"."),
                };
                string license = TryGet(e, "licence", out JsonElement lic) || TryGet(e, "license", out lic)
                    ? (lic.ValueKind == JsonValueKind.String ? lic.GetString() ?? string.Empty : string.Empty)
                    : throw new AvatarSetException($"{where}: \"licence\" is missing; state the image's licence (e.g. \"CC0-1.0\").");
                if (string.IsNullOrWhiteSpace(license))
                {
                    throw new AvatarSetException($"{where}: \"licence\" must be a non-empty string.");
                }

                string id = TryGet(e, "id", out JsonElement idEl) && idEl.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(idEl.GetString())
                    ? idEl.GetString()!
                    : file;
                if (ids.TryGetValue(id, out int firstId))
                {
                    throw new AvatarSetException($"{where}: id \"{id}\" is already used at avatars[{firstId}]; ids must be unique.");
                }

                files[full] = index;
                ids[id] = index;
                entries.Add(new AvatarManifestEntry(file, sex, age, tone, license, id));
                index++;
            }

            return entries;
        }
    }

    private static string RequiredString(JsonElement e, string name, string where)
    {
        if (!TryGet(e, name, out JsonElement v) || v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
        {
            throw new AvatarSetException($"{where}: \"{name}\" is missing or not a non-empty string.");
        }

        return v.GetString()!;
    }

    private static bool TryGet(JsonElement e, string name, out JsonElement value)
    {
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = p.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
