using System.CommandLine;
using FaceDefender.Abstractions;
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

    /// <summary>Exit code: wrong arguments.</summary>
    public const int Usage = 2;

    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("FaceDefender: de-identify eye-clinic face photos, keeping the eye region in its true geometry.");
        root.Subcommands.Add(DeidentifyCommand());
        root.Subcommands.Add(AssessCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(DemoCommand());
        return root.Parse(args).Invoke();
    }

    private static Command DeidentifyCommand()
    {
        var input = new Argument<string>("input") { Description = "A JPEG/PNG photo, or a folder searched recursively." };
        var output = new Option<string>("--output", "-o") { Description = "Output folder (created if missing).", Required = true };
        var sex = new Option<AvatarSex?>("--sex") { Description = "Patient sex from the record: Female or Male (default: Female)." };
        var age = new Option<int?>("--age") { Description = "Patient age in years from the record (default: 40)." };
        var skin = new Option<SkinTone?>("--skin") { Description = "Avatar skin tone: Light, Medium or Dark (default: estimated from the photo)." };
        var roi = new Option<RoiPreset>("--roi") { Description = "Kept region: EyesOnly (default), EyesAndBrows, Paper, or GeometryOnly (no patient pixel: the avatar's eyes driven to the patient's lid and iris geometry).", DefaultValueFactory = _ => RoiPreset.EyesOnly };
        var pseudonym = new Option<string?>("--pseudonym") { Description = "Stable pseudonym key: the same key always gets the same avatar." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing outputs (default: skip them, so an interrupted run can be resumed)." };
        var avatarSet = new Option<string?>("--avatars") { Description = "Your own avatar set: a folder with a manifest (see docs/avatars.md). Default: the embedded procedural avatars." };
        var parallel = new Option<int>("--parallel") { Description = "Photos processed at once (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("deidentify", "De-identify photos: replace the face with a synthetic avatar keeping the patient's eye region.")
        {
            input, output, sex, age, skin, roi, pseudonym, avatarSet, overwrite, parallel,
        };
        cmd.SetAction(pr =>
        {
            var info = new PatientInfo(pr.GetValue(sex), pr.GetValue(age), pr.GetValue(skin), pr.GetValue(pseudonym));
            var options = new DeidentificationOptions(new FusionOptions(pr.GetValue(roi)));
            return BatchRunner.Run(pr.GetValue(input)!, pr.GetValue(output)!, info, options, pr.GetValue(overwrite), pr.GetValue(parallel), Console.Out, Console.Error, pr.GetValue(avatarSet), progressBar: !Console.IsErrorRedirected);
        });
        return cmd;
    }

    private static Command DemoCommand()
    {
        var output = new Option<string>("--output", "-o") { Description = "Output folder.", DefaultValueFactory = _ => "facedefender-demo" };
        var cmd = new Command("demo", "De-identify the bundled public-domain portrait with the embedded defaults and print what was done.") { output };
        cmd.SetAction(pr => Demo.Run(pr.GetValue(output)!, Console.Out));
        return cmd;
    }
}
