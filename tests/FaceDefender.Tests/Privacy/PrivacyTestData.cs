using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.Rendering;
using FaceDefender.Landmarks;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Tests.Privacy;

/// <summary>
/// The audit's test set: the two shared public-domain portraits and four rendered avatars, each with
/// augmented copies (crop, small rotation, brightness, JPEG quality), landmarks from the real detector.
/// Built once per test run.
/// </summary>
internal static class PrivacyTestData
{
    private static readonly Lazy<IReadOnlyList<AuditSample>> Cached = new(Build);

    public static IReadOnlyList<AuditSample> Samples => Cached.Value;

    /// <summary>Two people (the shared portraits), two photos each (original; crop + rotation): a small, fast subset.</summary>
    public static AuditSample[] TwoPeopleTwoPhotos()
    {
        AuditSample[] samples = [.. Samples
            .Where(s => s.Identity is "astronaut" or "grace_hopper")
            .Where(s => s.Label.EndsWith("/original", StringComparison.Ordinal) || s.Label.EndsWith("/crop90-rotate+4", StringComparison.Ordinal))];
        return samples.Length == 4 ? samples : throw new InvalidOperationException($"Expected 4 photos of two people, found {samples.Length}.");
    }

    /// <summary>The augmentations: name and transform (applied to a clone).</summary>
    public static readonly (string Name, Func<Image<Rgb24>, Image<Rgb24>> Apply)[] Augmentations =
    [
        ("original", img => img.Clone()),
        ("crop90-rotate+4", img => img.Clone(c => c.Crop(new Rectangle(img.Width / 20, img.Height / 20, img.Width * 9 / 10, img.Height * 9 / 10)).Rotate(4f))),
        ("rotate-3-darker", img => img.Clone(c => c.Rotate(-3f).Brightness(0.8f))),
        ("brighter-jpeg40", img => Jpeg(img.Clone(c => c.Brightness(1.2f)), 40)),
    ];

    private static Image<Rgb24> Jpeg(Image<Rgb24> img, int quality)
    {
        using (img)
        {
            using var ms = new MemoryStream();
            img.SaveAsJpeg(ms, new JpegEncoder { Quality = quality });
            ms.Position = 0;
            return Image.Load<Rgb24>(ms);
        }
    }

    private static IReadOnlyList<AuditSample> Build()
    {
        var bases = new List<(string Identity, Image<Rgb24> Image)>();
        string faces = Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces");
        bases.Add(("astronaut", Image.Load<Rgb24>(Path.Combine(faces, "astronaut.png"))));
        bases.Add(("grace_hopper", Image.Load<Rgb24>(Path.Combine(faces, "grace_hopper.jpg"))));
        (AvatarSex Sex, int Age, SkinTone Tone)[] rendered =
        [
            (AvatarSex.Female, 35, SkinTone.Light), (AvatarSex.Male, 55, SkinTone.Medium),
            (AvatarSex.Female, 65, SkinTone.Dark), (AvatarSex.Male, 25, SkinTone.Light),
        ];
        foreach (var (sex, age, tone) in rendered)
        {
            // The four rendered "people" are test inputs like the two photographs: drawn with the avatars' first look
            // (the ground-truth kit's, AvatarLook.CreateForKit), so that the test set does not change when the avatars'
            // look does. Same identity choice and framing as ProceduralAvatarProvider.Select with this pseudonym.
            int identity = AvatarPseudonym.Choose(AvatarPseudonym.DefaultKey, $"test-identity-{sex}-{age}-{tone}", ProceduralAvatarOptions.Default.IdentitiesPerGroup);
            AvatarLook look = AvatarLook.CreateForKit(sex, AvatarAgeBuckets.Map(age), tone, ProceduralAvatarProvider.IdentitySeed(identity));
            RasterOutput r = FaceRasterizer.Render(FaceModel.Build(look, default, default), look, default, Avatar.CanvasSize, Avatar.CanvasSize, 1f);
            using Image<Rgb24> full = Image.LoadPixelData<Rgb24>(r.Rgb, Avatar.CanvasSize, Avatar.CanvasSize);

            // Rendered faces at half size, like a photo of moderate resolution.
            bases.Add(($"avatar-{sex}-{age}-{tone}", full.Clone(c => c.Resize(512, 512))));
        }

        var samples = new List<AuditSample>();
        using var detector = new MediaPipeLandmarkDetector();
        foreach (var (identity, image) in bases)
        {
            using (image)
            {
                foreach (var (name, apply) in Augmentations)
                {
                    Image<Rgb24> augmented = apply(image);
                    FaceDetection detection = detector.Detect(augmented);
                    if (detection.Face is null)
                    {
                        augmented.Dispose();
                        throw new InvalidOperationException($"The detector found no face in {identity}/{name}: the test set is broken.");
                    }

                    samples.Add(new AuditSample(identity, augmented, detection.Face.Landmarks, $"{identity}/{name}"));
                }
            }
        }

        return samples;
    }
}
