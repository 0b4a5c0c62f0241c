using System.Globalization;
using FaceDefender.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Cli;

/// <summary>The README's first command: de-identify the bundled public-domain portrait and say what happened.</summary>
internal static class Demo
{
    public static int Run(string outputDir, TextWriter stdout)
    {
        using Stream s = typeof(Demo).Assembly.GetManifestResourceStream("FaceDefender.Cli.Samples.astronaut.png")
            ?? throw new InvalidOperationException("The bundled sample portrait is missing from the build.");
        using Image<Rgb24> photo = Image.Load<Rgb24>(s);
        using var pipeline = new FaceDeidentifier();
        using DeidentificationResult r = pipeline.Deidentify(photo, new PatientInfo(PseudonymKey: "demo-patient"));
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine($"input:   bundled sample astronaut.png ({photo.Width} x {photo.Height}, public domain)");
        stdout.WriteLine($"status:  {r.Status}: {r.Message}");
        if (r.Detection?.Face is { } face)
        {
            stdout.WriteLine(string.Create(inv, $"face:    confidence {face.Confidence:F2}, inter-pupil distance {face.Landmarks.InterPupillaryDistance:F1} px, pose roll {face.Pose.Roll:F1}° yaw {face.Pose.Yaw:F1}° pitch {face.Pose.Pitch:F1}°"));
        }

        if (r.Assessment is { } a)
        {
            AssessmentPrinter.Print(a, stdout);
        }

        if (!r.Succeeded)
        {
            return Program.SomeFailed;
        }

        Directory.CreateDirectory(outputDir);
        string target = Path.Combine(outputDir, "astronaut.deid.png");
        r.SavePng(target, overwrite: true);
        stdout.WriteLine($"avatar:  {r.Avatar!.Id} ({r.Avatar.Sex}, {r.Avatar.AgeBucket} y, {r.Avatar.SkinTone}; {r.Avatar.License})");
        stdout.WriteLine(string.Create(inv, $"fusion:  ROI {r.Fusion!.Options.Roi}, scale {r.Fusion.Transform.Scale:F3}, rotation {r.Fusion.Transform.Rotation * 180 / Math.PI:F2}°, fit RMS {r.Fusion.Transform.RmsError:F2} px, kept area {r.Fusion.MaskBounds}"));
        stdout.WriteLine(string.Create(inv, $"timing:  detect {r.Timings.DetectMs:F0} ms, avatar {r.Timings.AvatarMs:F0} ms, fuse {r.Timings.FuseMs:F0} ms, total {r.Timings.TotalMs:F0} ms"));
        string pair = Path.Combine(outputDir, "astronaut.before-after.png");
        using (Image<Rgb24> sideBySide = BeforeAfter(photo, r))
        {
            Pipeline.AtomicFile.Write(pair, overwrite: true, st => sideBySide.SaveAsPng(st));
        }

        stdout.WriteLine($"output:  {Path.GetFullPath(target)}");
        stdout.WriteLine($"         {Path.GetFullPath(pair)} (the photo normalised like the avatar, beside the result)");
        return Program.Ok;
    }

    private static Image<Rgb24> BeforeAfter(Image<Rgb24> photo, DeidentificationResult r)
    {
        const int Side = 512;
        (Image<Rgb24> before, _, _) = Fusion.FaceNormalizer.Normalize(photo, r.Detection!.Face!.Landmarks, Side);
        using (before)
        {
            using Image<Rgb24> after = r.Image!.Clone(ctx => ctx.Resize(Side, Side));
            var canvas = new Image<Rgb24>(2 * Side, Side);
            canvas.Mutate(ctx => ctx.DrawImage(before, new Point(0, 0), 1f).DrawImage(after, new Point(Side, 0), 1f));
            return canvas;
        }
    }
}
