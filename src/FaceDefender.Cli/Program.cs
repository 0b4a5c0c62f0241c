using System.CommandLine;
using FaceDefender.Abstractions;
using FaceDefender.Decoding;
using FaceDefender.Fusion;
using FaceDefender.Pipeline;

namespace FaceDefender.Cli;

/// <summary>The facedefender command line: a thin shell over the library's public API.</summary>
public static class Program
{
    /// <summary>Exit code: every photo was de-identified.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: at least one photo failed (no face, bad pose, unreadable...); the others completed.</summary>
    public const int SomeFailed = 1;

    /// <summary>Exit code: wrong arguments or settings (nothing was processed).</summary>
    public const int Usage = 2;

    /// <summary>Exit code: the run itself failed or was cancelled (for example the reports could not be written to the output folder); see stderr.</summary>
    public const int RunFailed = 3;

    /// <summary>The environment variable holding the secret key for pseudonyms and opaque output names.</summary>
    public const string KeyVariable = "FACEDEFENDER_PSEUDONYM_KEY";

    /// <summary>The exit codes, as printed by --help.</summary>
    public const string ExitCodes = "Exit codes: 0 every photo done; 1 some photos failed (see the report); 2 usage error; 3 the run itself failed or was cancelled.";

    /// <summary>The name the tool is installed and documented under, shown in <c>--help</c> usage lines.</summary>
    public const string CommandName = "facedefender";

    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => CreateRootCommand().Parse(args).Invoke();

    /// <summary>
    /// The root command with its subcommands. It is named <see cref="CommandName"/> rather than after the executable
    /// (which a <see cref="RootCommand"/> would take: <c>FaceDefender.Cli</c> when run from a build), so help reads the
    /// same however the tool is started; it carries the standard <c>--help</c> and <c>--version</c> options itself.
    /// </summary>
    internal static Command CreateRootCommand()
    {
        var root = new Command(CommandName, "FaceDefender: de-identify eye-clinic face photos, keeping the eye region in its true geometry. " + ExitCodes)
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(DeidentifyCommand());
        root.Subcommands.Add(AssessCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(DemoCommand());
        root.Subcommands.Add(ReportCommand.Create());
        return root;
    }

    private static Command DeidentifyCommand()
    {
        var input = new Argument<string>("input") { Description = "A photo (JPEG or PNG, recognised from its content), or a folder searched recursively for .jpg/.jpeg/.png files." };
        var output = new Option<string>("--output", "-o") { Description = "Output folder (created if missing; left out of the input search when inside it).", Required = true };
        var sex = new Option<AvatarSex?>("--sex") { Description = "Patient sex from the record: Female or Male (default: Female)." };
        var age = new Option<int?>("--age") { Description = "Patient age in years from the record, 0-130 (default: 40)." };
        var skin = new Option<SkinTone?>("--skin") { Description = "Avatar skin tone: Light, Medium or Dark (default: estimated from the photo)." };
        var roi = new Option<RoiPreset>("--roi") { Description = "Kept region: EyesOnly (default), EyesAndBrows, Paper, or GeometryOnly (no patient pixel: the avatar's eyes driven to the patient's lid and iris geometry).", DefaultValueFactory = _ => RoiPreset.EyesOnly };
        var pseudonym = new Option<string?>("--pseudonym") { Description = "Stable pseudonym: the same pseudonym always gets the same avatar." };
        var key = new Option<string?>("--pseudonym-key") { Description = $"Secret key for the pseudonym hash and opaque names (better: set {KeyVariable}, which stays out of process listings). Default: the public default key, with a warning." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing outputs (default: skip them, so an interrupted run can be resumed)." };
        var avatarSet = new Option<string?>("--avatars") { Description = "Your own avatar set: a folder with a manifest (see docs/avatars.md). Default: the embedded procedural avatars." };
        var parallel = new Option<int>("--parallel") { Description = "Photos processed at once (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var maxMemory = new Option<int?>("--max-memory") { Description = "Memory budget in MiB shared by the parallel photos (default: half the memory available, at most 8 GiB)." };
        var formats = new Option<string?>("--formats") { Description = "Accepted formats, comma-separated: jpeg,png (default), or add gif, bmp, tiff, webp, tga, pbm (older decoders with more known vulnerabilities; first frame only)." };
        var follow = new Option<bool>("--follow-symlinks") { Description = "Follow symbolic links to folders (each real folder once). Default: not followed." };
        var shard = new Option<string?>("--shard")
        {
            Description = "Process one part of the inputs: INDEX/COUNT (index from 0), chosen by a hash of each input's relative path, so COUNT workers over one folder share the work without overlap. Each writes report-shard-INDEX-of-COUNT.*; merge them with `facedefender report merge <output>`.",
        };
        var opaque = new Option<string?>("--opaque-names") { Description = "Name outputs by a keyed hash (nothing of the input names) and write the input-to-output map to this CSV file, which must lie outside the output folder." };
        var cmd = new Command("deidentify", "De-identify photos: replace the face with a synthetic avatar keeping the patient's eye region. " + ExitCodes)
        {
            input, output, sex, age, skin, roi, pseudonym, key, avatarSet, overwrite, parallel, maxMemory, formats, follow, opaque, shard,
        };
        cmd.SetAction((pr, ct) =>
        {
            int? ageYears = pr.GetValue(age);
            if (ageYears is < 0 or > 130)
            {
                Console.Error.WriteLine($"error: --age {ageYears} is outside 0-130 years.");
                return Task.FromResult(Usage);
            }

            if (!TryParseFormats(pr.GetValue(formats), out ImageFormats allowed))
            {
                Console.Error.WriteLine($"error: --formats '{pr.GetValue(formats)}': use a comma-separated list of jpeg, png, gif, bmp, tiff, webp, tga, pbm.");
                return Task.FromResult(Usage);
            }

            int? memory = pr.GetValue(maxMemory);
            if (memory is < 64)
            {
                Console.Error.WriteLine("error: --max-memory must be at least 64 (MiB).");
                return Task.FromResult(Usage);
            }

            string? keyText = pr.GetValue(key) ?? Environment.GetEnvironmentVariable(KeyVariable);
            if (keyText is { Length: 0 })
            {
                Console.Error.WriteLine($"error: the pseudonym key is empty; unset {KeyVariable} or give a non-empty key.");
                return Task.FromResult(Usage);
            }

            if (!BatchShard.TryParse(pr.GetValue(shard), out BatchShard? part, out string? shardError))
            {
                Console.Error.WriteLine($"error: {shardError}");
                return Task.FromResult(Usage);
            }

            MemoryBudget budget = memory is { } mb ? new MemoryBudget(mb * 1024L * 1024) : MemoryBudget.ForThisMachine();
            var info = new PatientInfo(pr.GetValue(sex), ageYears, pr.GetValue(skin), pr.GetValue(pseudonym));
            var options = new DeidentificationOptions { Fusion = new FusionOptions { Roi = pr.GetValue(roi) }, Decoding = ImageDecodingOptions.Default with { AllowedFormats = allowed }, MemoryBudget = budget };
            var settings = new BatchSettings
            {
                Overwrite = pr.GetValue(overwrite), Parallel = pr.GetValue(parallel), AvatarFolder = pr.GetValue(avatarSet), ProgressBar = !Console.IsErrorRedirected,
                FollowSymlinks = pr.GetValue(follow), NameMapFile = pr.GetValue(opaque), Key = keyText is null ? null : System.Text.Encoding.UTF8.GetBytes(keyText),
                Shard = part,
            };
            return Task.FromResult(BatchRunner.Run(pr.GetValue(input)!, pr.GetValue(output)!, info, options, settings, Console.Out, Console.Error, ct));
        });
        return cmd;
    }

    internal static bool TryParseFormats(string? text, out ImageFormats formats)
    {
        formats = ImageFormats.Default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        formats = ImageFormats.None;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ImageFormats f = part.ToLowerInvariant() switch
            {
                "jpeg" or "jpg" => ImageFormats.Jpeg,
                "png" => ImageFormats.Png,
                "gif" => ImageFormats.Gif,
                "bmp" => ImageFormats.Bmp,
                "tiff" or "tif" => ImageFormats.Tiff,
                "webp" => ImageFormats.Webp,
                "tga" => ImageFormats.Tga,
                "pbm" or "pgm" or "ppm" => ImageFormats.Pbm,
                _ => ImageFormats.None,
            };
            if (f == ImageFormats.None)
            {
                return false;
            }

            formats |= f;
        }

        return formats != ImageFormats.None;
    }

    private static Command DemoCommand()
    {
        var output = new Option<string>("--output", "-o") { Description = "Output folder.", DefaultValueFactory = _ => "facedefender-demo" };
        var cmd = new Command("demo", "De-identify the bundled public-domain portrait with the embedded defaults and print what was done.") { output };
        cmd.SetAction(pr => Demo.Run(pr.GetValue(output)!, Console.Out));
        return cmd;
    }
}
