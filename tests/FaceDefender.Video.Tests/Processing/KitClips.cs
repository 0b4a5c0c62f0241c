using System.Collections.Concurrent;
using System.Numerics;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Fusion;
using FaceDefender.Landmarks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceDefender.Video.Tests.Processing;

/// <summary>What the kit drew in one frame of a clip.</summary>
/// <param name="Mrd1Right">Right MRD1 from the reflex, mm (NaN when not defined).</param>
/// <param name="Mrd1Left">Left MRD1 from the reflex, mm.</param>
/// <param name="Fissure">Mean fissure height of both eyes, mm (NaN when no face).</param>
/// <param name="Closed">True when the truth fissure is below half the open one (a blink frame).</param>
/// <param name="GazeRight">Conjugate gaze drawn, degrees.</param>
/// <param name="GazeUp">Conjugate gaze drawn, degrees.</param>
/// <param name="Face">Whether the frame holds exactly one face.</param>
internal sealed record FrameTruth(double Mrd1Right, double Mrd1Left, double Fissure, bool Closed, float GazeRight, float GazeUp, bool Face)
{
    public static FrameTruth NoFace { get; } = new(double.NaN, double.NaN, double.NaN, false, 0, 0, false);
}

/// <summary>A clip: frames made on demand from kit renders (never the whole clip in memory) and the truth of each.</summary>
internal sealed class KitClip(string name, int size, IReadOnlyList<Func<Image<Rgb24>>> frames, IReadOnlyList<FrameTruth> truth, FrameRate? rate = null)
{
    public string Name { get; } = name;

    public int Size { get; } = size;

    public FrameRate Rate { get; } = rate ?? new FrameRate(30, 1);

    public int Count => frames.Count;

    public IReadOnlyList<FrameTruth> Truth { get; } = truth;

    public Image<Rgb24> Frame(int i) => frames[i]();

    public InMemorySource Source() => new(new VideoInfo(Size, Size, Rate, Count, null, null, null, 0, false, false), frames);
}

/// <summary>
/// Clips made from the ground-truth kit at 512 x 512 with a light at the camera (so every eye shows a corneal reflex) and
/// the subject fixating it. Renders are cached per scene; degradations (noise, JPEG) get a seed per frame.
/// </summary>
internal static class KitClips
{
    public const int Size = 512;
    private static readonly ConcurrentDictionary<GroundTruthScene, Lazy<GroundTruthRender>> Renders = new();

    public static GroundTruthScene Scene(int identity) => new()
    {
        ImageSize = Size,
        Identity = identity,
        Sex = identity % 2 == 0 ? AvatarSex.Female : AvatarSex.Male,
        CameraLight = CameraLight.Default,
        Fixation = EyeFixation.Camera,
        RightEye = Kappa,
        LeftEye = Kappa,
    };

    /// <summary>The angle kappa (3.28°) whose reflex displacement is the diagnostics' default assumed kappa (0.3 mm), so an eye without deviation reads 0 PD.</summary>
    public static EyeControl Kappa { get; } = new() { AngleKappaDegrees = 3.28f };

    public static GroundTruthRender Render(GroundTruthScene scene) => Renders.GetOrAdd(scene, s => new Lazy<GroundTruthRender>(() => GroundTruthFaceRenderer.Render(s))).Value;

    public static FrameTruth TruthOf(GroundTruthRender r, double openFissure)
    {
        double fissure = (r.Truth.Right.FissureHeight.Millimetres + r.Truth.Left.FissureHeight.Millimetres) / 2;
        return new FrameTruth(r.Truth.Right.Alignment!.Mrd1FromReflex.Millimetres, r.Truth.Left.Alignment!.Mrd1FromReflex.Millimetres, fissure,
            fissure < 0.5 * openFissure, r.Scene.GazeHorizontalDegrees, r.Scene.GazeUpDegrees, true);
    }

    /// <summary>A frame of <paramref name="scene"/>, with noise and JPEG when a seed is given.</summary>
    public static Func<Image<Rgb24>> Frame(GroundTruthScene scene, ulong? noiseSeed = null, float noise = 4f, int jpeg = 85) => () =>
    {
        GroundTruthRender r = Render(scene);
        if (noiseSeed is not ulong seed)
        {
            return r.Image.Clone();
        }

        using DegradedGroundTruth d = GroundTruthDegrader.Degrade(r, new GroundTruthDegradation { NoiseSigmaLevels = noise, JpegQuality = jpeg, Seed = seed });
        return d.Image.Clone();
    };

    /// <summary>Open fissure height (mean of the eyes) of a scene, mm.</summary>
    public static double OpenFissure(GroundTruthScene scene)
    {
        GroundTruthRender r = Render(scene);
        return (r.Truth.Right.FissureHeight.Millimetres + r.Truth.Left.FissureHeight.Millimetres) / 2;
    }

    /// <summary>Fractions of the open fissure over one blink: 7 frames, frames 1..5 below half.</summary>
    public static readonly float[] BlinkProfile = [0.7f, 0.4f, 0.1f, 0f, 0.15f, 0.4f, 0.75f];

    /// <summary>A face that blinks: 3 s at 30 frames/s, blinks starting (profile frame 0) at the given frames, sensor noise and JPEG.</summary>
    public static KitClip Blinks(int identity, int[] blinkStarts, int count = 90, ulong seedBase = 1000)
    {
        GroundTruthScene open = Scene(identity);
        double openFissure = OpenFissure(open);
        var frames = new List<Func<Image<Rgb24>>>();
        var truth = new List<FrameTruth>();
        for (int i = 0; i < count; i++)
        {
            GroundTruthScene scene = open;
            foreach (int start in blinkStarts)
            {
                int k = i - start;
                if (k >= 0 && k < BlinkProfile.Length)
                {
                    float f = BlinkProfile[k];
                    float mm = (float)Math.Min(8.0, f * openFissure);
                    scene = open with { RightEye = Kappa with { FissureHeightMm = mm }, LeftEye = Kappa with { FissureHeightMm = mm } };
                }
            }

            frames.Add(Frame(scene, seedBase + (ulong)i));
            truth.Add(TruthOf(Render(scene), openFissure));
        }

        return new KitClip($"blinks-{identity}", Size, frames, truth);
    }

    /// <summary>Gaze held at known positions, 8 frames each.</summary>
    public static KitClip Gaze(int identity, (float Right, float Up)[] positions, int hold = 8)
    {
        GroundTruthScene open = Scene(identity);
        double openFissure = OpenFissure(open);
        var frames = new List<Func<Image<Rgb24>>>();
        var truth = new List<FrameTruth>();
        int i = 0;
        foreach ((float right, float up) in positions)
        {
            for (int k = 0; k < hold; k++, i++)
            {
                GroundTruthScene scene = open with { GazeHorizontalDegrees = right, GazeUpDegrees = up };
                frames.Add(Frame(scene, 2000 + (ulong)i));
                truth.Add(TruthOf(Render(scene), openFissure));
            }
        }

        return new KitClip($"gaze-{identity}", Size, frames, truth);
    }

    /// <summary>
    /// Cover-uncover: 15 frames uncovered; 15 frames with an opaque occluder over the left eye, which drifts out by
    /// <paramref name="phoriaPd"/> behind it; uncovered, it stays deviated 3 frames, then re-fixates over 3 frames and
    /// holds 24 frames.
    /// </summary>
    public static KitClip CoverUncover(int identity, float phoriaPd = -12f)
    {
        GroundTruthScene open = Scene(identity);
        double openFissure = OpenFissure(open);
        GroundTruthScene Deviated(float pd) => open with { LeftEye = Kappa with { HorizontalDeviationPrismDioptres = pd } };
        var frames = new List<Func<Image<Rgb24>>>();
        var truth = new List<FrameTruth>();
        for (int i = 0; i < 60; i++)
        {
            float pd = i < 15 ? 0 : i < 33 ? phoriaPd : i < 36 ? phoriaPd * (35 - i) / 3f : 0;
            GroundTruthScene scene = pd == 0 ? open : Deviated(pd);
            bool covered = i is >= 15 and < 30;
            Func<Image<Rgb24>> plain = Frame(scene, 3000 + (ulong)i);
            frames.Add(covered ? Occluded(plain, Render(scene).Landmarks.LeftEye) : plain);
            truth.Add(TruthOf(Render(scene), openFissure));
        }

        return new KitClip($"cover-{identity}", Size, frames, truth);
    }

    /// <summary>An opaque grey occluder (a paddle held in front of the eye) over the eye and 0.6 eye widths around it.</summary>
    public static Func<Image<Rgb24>> Occluded(Func<Image<Rgb24>> frame, EyeLandmarks eye) => () =>
    {
        Image<Rgb24> image = frame();
        Vector2 c = (eye.OuterCanthus + eye.InnerCanthus) / 2;
        float w = Vector2.Distance(eye.OuterCanthus, eye.InnerCanthus);
        var box = new Rectangle((int)(c.X - (1.1f * w)), (int)(c.Y - (0.9f * w)), (int)(2.2f * w), (int)(1.8f * w));
        box.Intersect(new Rectangle(0, 0, image.Width, image.Height));
        image.ProcessPixelRows(rows =>
        {
            for (int y = box.Top; y < box.Bottom; y++)
            {
                rows.GetRowSpan(y).Slice(box.Left, box.Width).Fill(new Rgb24(70, 70, 78));
            }
        });
        return image;
    };

    /// <summary>Slow head motion: yaw ±10° (1° steps) over 2 s and a translation of up to ±24 px by cropping a larger render.</summary>
    public static KitClip HeadMotion(int identity, int count = 60)
    {
        const int big = Size + 64;
        GroundTruthScene open = Scene(identity) with { ImageSize = big };
        var frames = new List<Func<Image<Rgb24>>>();
        var truth = new List<FrameTruth>();
        for (int i = 0; i < count; i++)
        {
            double t = i / 30.0;
            float yaw = MathF.Round(10f * MathF.Sin((float)(2 * Math.PI * t / 2)));
            int dx = (int)Math.Round(24 * Math.Sin(2 * Math.PI * t / 3)), dy = (int)Math.Round(12 * Math.Sin(2 * Math.PI * t / 2.5));
            GroundTruthScene scene = open with { YawDegrees = yaw };
            ulong seed = 4000 + (ulong)i;
            frames.Add(() =>
            {
                using Image<Rgb24> full = Frame(scene, seed)();
                return full.Clone(x => x.Crop(new Rectangle(32 + dx, 32 + dy, Size, Size)));
            });
            truth.Add(TruthOf(Render(scene), OpenFissure(open)));
        }

        return new KitClip($"motion-{identity}", Size, frames, truth);
    }

    /// <summary>A still face with fresh sensor noise and JPEG in every frame.</summary>
    public static KitClip StaticNoisy(int identity, int count = 40, float noise = 4f, int jpeg = 85)
    {
        GroundTruthScene open = Scene(identity);
        double openFissure = OpenFissure(open);
        var frames = Enumerable.Range(0, count).Select(i => Frame(open, 5000 + (ulong)i, noise, jpeg)).ToList();
        var truth = Enumerable.Range(0, count).Select(_ => TruthOf(Render(open), openFissure)).ToList();
        return new KitClip($"static-{identity}", Size, frames, truth);
    }

    /// <summary>
    /// A clip with failures: face (8), a blank frame (1), face (8), two faces side by side (20), face (8), a blank frame
    /// at the start (frame 0) so the first usable face comes late.
    /// </summary>
    public static KitClip WithFailures(int identity, out int[] blank, out (int From, int To) twoFaces)
    {
        GroundTruthScene open = Scene(identity);
        double openFissure = OpenFissure(open);
        var frames = new List<Func<Image<Rgb24>>>();
        var truth = new List<FrameTruth>();
        var blanks = new List<int>();
        void Add(Func<Image<Rgb24>> f, FrameTruth t)
        {
            frames.Add(f);
            truth.Add(t);
        }

        Image<Rgb24> Blank() => new(Size, Size, new Rgb24(128, 120, 112));
        Image<Rgb24> Two()
        {
            GroundTruthRender a = Render(open with { ImageSize = Size / 2 });
            GroundTruthRender b = Render(Scene(identity + 1) with { ImageSize = Size / 2 });
            var image = new Image<Rgb24>(Size, Size, new Rgb24(90, 90, 90));
            image.Mutate(x => x.DrawImage(a.Image, new Point(0, Size / 4), 1f).DrawImage(b.Image, new Point(Size / 2, Size / 4), 1f));
            return image;
        }

        FrameTruth faceTruth = TruthOf(Render(open), openFissure);
        blanks.Add(frames.Count);
        Add(Blank, FrameTruth.NoFace);
        for (int i = 0; i < 8; i++)
        {
            Add(Frame(open, 6000 + (ulong)frames.Count), faceTruth);
        }

        blanks.Add(frames.Count);
        Add(Blank, FrameTruth.NoFace);
        for (int i = 0; i < 8; i++)
        {
            Add(Frame(open, 6000 + (ulong)frames.Count), faceTruth);
        }

        int from = frames.Count;
        for (int i = 0; i < 20; i++)
        {
            Add(Two, FrameTruth.NoFace);
        }

        twoFaces = (from, frames.Count - 1);
        for (int i = 0; i < 8; i++)
        {
            Add(Frame(open, 6000 + (ulong)frames.Count), faceTruth);
        }

        blank = [.. blanks];
        return new KitClip($"failures-{identity}", Size, frames, truth);
    }
}

/// <summary>Frames from producers, made one at a time as they are read.</summary>
internal sealed class InMemorySource(VideoInfo info, IReadOnlyList<Func<Image<Rgb24>>> frames) : IVideoFrameSource
{
    private int _next;

    public VideoInfo Info { get; } = info;

    public int Read => _next;

    public ValueTask<bool> ReadAsync(Image<Rgb24> frame, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_next >= frames.Count)
        {
            return ValueTask.FromResult(false);
        }

        using Image<Rgb24> source = frames[_next++]();
        source.ProcessPixelRows(frame, (s, d) =>
        {
            for (int y = 0; y < s.Height; y++)
            {
                s.GetRowSpan(y).CopyTo(d.GetRowSpan(y));
            }
        });
        return ValueTask.FromResult(true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Keeps every written frame's pixels (or only a count), and whether it was completed.</summary>
internal sealed class RecordingSink(bool keep = true) : IVideoFrameSink
{
    public List<Rgb24[]> Frames { get; } = [];

    public int Written { get; private set; }

    public bool Completed { get; private set; }

    public int Width { get; private set; }

    public ValueTask WriteAsync(Image<Rgb24> frame, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Written++;
        Width = frame.Width;
        if (keep)
        {
            Frames.Add(Pixels(frame));
        }

        return ValueTask.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        Completed = true;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static Rgb24[] Pixels(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }
}

/// <summary>The default fuser, recording each call's mask and the patient landmarks it was given (in order).</summary>
internal sealed class RecordingFuser : IFaceFuser
{
    private readonly PeriocularFaceFuser _inner = new();

    public List<(float[] Mask, FaceLandmarks Source, FaceLandmarks Output)> Calls { get; } = [];

    public FusionResult Fuse(Image<Rgb24> patient, FaceLandmarks patientLandmarks, Image<Rgb24> avatar, FaceLandmarks avatarLandmarks, FusionOptions? options = null)
    {
        FusionResult r = _inner.Fuse(patient, patientLandmarks, avatar, avatarLandmarks, options);
        Calls.Add((r.Mask.ToArray(), patientLandmarks, r.PatientLandmarks));
        return r;
    }
}
