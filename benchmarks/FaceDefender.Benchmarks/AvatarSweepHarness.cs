using System.Diagnostics;
using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Avatars.Rendering;

namespace FaceDefender.Benchmarks;

/// <summary>
/// Two CPU-time harnesses of the current avatar renderer (no baseline), one thread, 1024 x 1024:
/// <c>avatarsweep [reps] [name-prefix]</c> renders every avatar of <see cref="ProceduralAvatarProvider.Catalog"/> (identity 0;
/// only those whose name starts with the prefix, e.g. <c>female-5-</c>, if given) in <paramref name="reps"/> round-robin
/// rounds after one warm-up round (and after small warm-up renders that bring the JIT to its final code) and reports
/// per avatar the minimum and median thread CPU time and the median wall time, then the maximum, the mean and the
/// count above 100 ms;
/// <c>avatarprofile [runs] [name ...]</c> splits the thread CPU time of one render into its passes (through the
/// renderer's internal <c>PassCompleted</c> hook) for the named avatars (e.g. <c>female-5-medium</c>), reporting the
/// per-pass median over the runs.
/// </summary>
internal static class AvatarSweepHarness
{
    private const int Size = 1024;

    /// <summary>
    /// Brings the renderer's methods to their final (tier-1) code first: 60 small renders of 6 different avatars and a
    /// pause for the background compiler, so the first avatars of a sweep are not timed with tier-0 or OSR code.
    /// </summary>
    private static void WarmUp()
    {
        for (int i = 0; i < 60; i++)
        {
            AvatarLook look = AvatarLook.Create(i % 2 == 0 ? AvatarSex.Female : AvatarSex.Male, i % 3 == 0 ? 5 : 40, (SkinTone)(i % 3), ProceduralAvatarProvider.IdentitySeed(0));
            FaceRasterizer.Render(FaceModel.Build(look, default, default), look, default, 192, 192, 1f);
            if (i % 20 == 19)
            {
                Thread.Sleep(400);
            }
        }
    }

    /// <summary>The <c>avatarsweep</c> mode (see the class summary).</summary>
    public static void Sweep(int reps, string? prefix)
    {
        var provider = new ProceduralAvatarProvider();
        IReadOnlyList<AvatarMetadata> catalog = [.. provider.Catalog.Where(a => prefix is null || a.Id.StartsWith("procedural-" + prefix, StringComparison.Ordinal))];
        Console.WriteLine($"FaceDefender {Environment.Version}, 1 thread, {Size} x {Size}, {catalog.Count} avatars (identity 0), {reps} rounds over all of them after 1 warm-up round (JIT warmed first)");
        WarmUp();
        var looks = catalog.Select(meta => AvatarLook.Create(meta.Sex, meta.AgeBucket, meta.SkinTone, ProceduralAvatarProvider.IdentitySeed(0))).ToArray();
        int Render(AvatarLook look) => FaceRasterizer.Render(FaceModel.Build(look, default, default), look, default, Size, Size, 1f).Rgb.Length;
        var cpu = new double[catalog.Count, reps];
        var wall = new double[catalog.Count, reps];
        for (int round = -1; round < reps; round++)
        {
            // Round-robin over the avatars, so a slow spell of the shared machine hits every avatar in some round
            // rather than a run of consecutive avatars in all of them.
            for (int a = 0; a < looks.Length; a++)
            {
                long c0 = ThreadCpuClock.Nanoseconds();
                long t0 = Stopwatch.GetTimestamp();
                Render(looks[a]);
                if (round >= 0)
                {
                    wall[a, round] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    cpu[a, round] = (ThreadCpuClock.Nanoseconds() - c0) / 1e6;
                }
            }
        }

        Console.WriteLine($"{"avatar",-28} {"CPU min ms",11} {"CPU med ms",11} {"wall med ms",12}");
        var mins = new List<(string Name, double Min, double Med, double Wall)>();
        for (int a = 0; a < looks.Length; a++)
        {
            double[] c = [.. Enumerable.Range(0, reps).Select(i => cpu[a, i]).Order()];
            double[] w = [.. Enumerable.Range(0, reps).Select(i => wall[a, i]).Order()];
            string name = catalog[a].Id.Replace("procedural-", string.Empty, StringComparison.Ordinal);
            mins.Add((name, c[0], c[reps / 2], w[reps / 2]));
            Console.WriteLine($"{name,-28} {c[0],11:F1} {c[reps / 2],11:F1} {w[reps / 2],12:F1}");
        }

        var worst = mins.MaxBy(m => m.Min);
        var worstMed = mins.MaxBy(m => m.Med);
        Console.WriteLine();
        Console.WriteLine($"CPU min:  mean {mins.Average(m => m.Min):F1} ms, max {worst.Min:F1} ms ({worst.Name}), above 100 ms: {mins.Count(m => m.Min > 100)}/{mins.Count}");
        Console.WriteLine($"CPU med:  mean {mins.Average(m => m.Med):F1} ms, max {worstMed.Med:F1} ms ({worstMed.Name}), above 100 ms: {mins.Count(m => m.Med > 100)}/{mins.Count}");
        Console.WriteLine($"wall med: mean {mins.Average(m => m.Wall):F1} ms, max {mins.Max(m => m.Wall):F1} ms, above 100 ms: {mins.Count(m => m.Wall > 100)}/{mins.Count}");
        Console.WriteLine("slowest 5 by CPU min: " + string.Join(", ", mins.OrderByDescending(m => m.Min).Take(5).Select(m => $"{m.Name} {m.Min:F1}")));
    }

    /// <summary>
    /// <c>avatardump dir [size]</c>: writes every catalogue avatar (identity 0) and three posed renders as raw RGB
    /// files (<c>name.rgb</c>, size x size x 3 bytes) into <paramref name="dir"/>, to compare two builds of the renderer
    /// pixel by pixel.
    /// </summary>
    public static void Dump(string dir, int size)
    {
        Directory.CreateDirectory(dir);
        var jobs = new List<(string Name, AvatarLook Look, PoseDegrees Pose)>();
        foreach (AvatarMetadata meta in new ProceduralAvatarProvider().Catalog)
        {
            jobs.Add((meta.Id, AvatarLook.Create(meta.Sex, meta.AgeBucket, meta.SkinTone, ProceduralAvatarProvider.IdentitySeed(0)), default));
        }

        for (int id = 1; id <= 3; id++)
        {
            jobs.Add(($"posed-{id}", AvatarLook.Create(id == 2 ? AvatarSex.Male : AvatarSex.Female, 10 * id, (SkinTone)(id % 3), ProceduralAvatarProvider.IdentitySeed(id)), new PoseDegrees(-8f * id / 3f, 15f - (10f * id), 8f - (4f * id))));
        }

        foreach ((string name, AvatarLook look, PoseDegrees pose) in jobs)
        {
            RasterOutput r = FaceRasterizer.Render(FaceModel.Build(look, default, default), look, pose, size, size, 1f);
            File.WriteAllBytes(Path.Combine(dir, name + ".rgb"), r.Rgb);
        }

        Console.WriteLine($"{jobs.Count} renders of {size} x {size} written to {dir}");
    }

    /// <summary>
    /// Writes the avatar golden files of tests/FaceDefender.Tests/Avatars/AvatarRenderPathTests.cs (the same looks, identity 0,
    /// 256 x 256, no pose) into <paramref name="dir"/>: the only way they are (re)generated; the tests only read them. Keep
    /// the list in step with that test's <c>Fixtures</c>.
    /// </summary>
    public static void WriteAvatarFixtures(string dir)
    {
        const int FixtureSize = 256;
        Directory.CreateDirectory(dir);
        foreach ((AvatarSex sex, int age, SkinTone tone, string file) in new[]
        {
            (AvatarSex.Female, 30, SkinTone.Light, "avatar-f30-light-256.png"),
            (AvatarSex.Male, 70, SkinTone.Dark, "avatar-m70-dark-256.png"),
        })
        {
            AvatarLook look = AvatarLook.Create(sex, age, tone, ProceduralAvatarProvider.IdentitySeed(0));
            RasterOutput r = FaceRasterizer.Render(FaceModel.Build(look, default, default), look, default, FixtureSize, FixtureSize, 1f);
            using var image = SixLabors.ImageSharp.Image.LoadPixelData<SixLabors.ImageSharp.PixelFormats.Rgb24>(r.Rgb, FixtureSize, FixtureSize);
            string path = Path.Combine(dir, file);
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, path);
            Console.WriteLine($"wrote {path} (hardware intrinsics {(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "on" : "off")})");
        }
    }

    public static void Profile(int runs, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            names = ["female-5-medium", "male-5-dark", "female-5-light", "female-30-light", "male-70-dark", "male-40-light"];
        }

        Console.WriteLine($"FaceDefender {Environment.Version}, 1 thread, {Size} x {Size}, per-pass thread CPU time, median of {runs} renders after 2 warm-ups (JIT warmed first)");
        WarmUp();
        foreach (string name in names)
        {
            string[] p = name.Split('-');
            AvatarSex sex = p[0] == "female" ? AvatarSex.Female : AvatarSex.Male;
            int age = int.Parse(p[1], CultureInfo.InvariantCulture);
            SkinTone tone = Enum.Parse<SkinTone>(p[2], ignoreCase: true);
            AvatarLook look = AvatarLook.Create(sex, age, tone, ProceduralAvatarProvider.IdentitySeed(0));
            var passes = new List<string>();
            var times = new List<List<double>>();
            long last = 0;
            int slot = 0;
            void OnPass(string pass)
            {
                long now = ThreadCpuClock.Nanoseconds();
                if (slot == passes.Count)
                {
                    passes.Add(pass);
                    times.Add([]);
                }

                times[slot++].Add((now - last) / 1e6);
                last = now;
            }

            for (int run = -2; run < runs; run++)
            {
                FaceRasterizer.PassCompleted = null;
                slot = 0;
                last = ThreadCpuClock.Nanoseconds();
                FaceModel model = FaceModel.Build(look, default, default);
                FaceRasterizer.PassCompleted = OnPass;
                OnPass("model");
                FaceRasterizer.Render(model, look, default, Size, Size, 1f);
                FaceRasterizer.PassCompleted = null;
                if (run < 0)
                {
                    passes.Clear();
                    times.Clear();
                }
            }

            double total = 0;
            var cells = new List<string>();
            for (int i = 0; i < passes.Count; i++)
            {
                List<double> t = times[i];
                t.Sort();
                double med = t[t.Count / 2];
                total += med;
                cells.Add($"{passes[i]} {med:F1}");
            }

            Console.WriteLine($"{name,-18} total {total,6:F1} ms: " + string.Join(", ", cells));
        }
    }
}
