// Decode-only and encode-only throughput of the FFmpeg video I/O layer, and the whole file pipeline end to end
// (docs/video.md, "Throughput").
// Usage: dotnet run -c Release --project benchmarks/FaceDefender.Video.IoThroughput [-- frames [preset ...]]
//        dotnet run -c Release --project benchmarks/FaceDefender.Video.IoThroughput -- e2e [seconds ...] [--size 1024|512] [--conserve-memory]
// The first form generates a 1280x720 H.264 clip with ffmpeg (testsrc2) in a temporary folder, then times
//   decode: FfmpegVideoSource reading every frame into one reused image;
//   encode: FfmpegVideoSink writing that many frames (30 decoded frames, cycled) with each preset, and FFV1.
// The second renders a ground-truth kit face moving on a 1280x720 frame (10 s at 30 frames/s, H.264), loops it to each
// length asked for (default 10 and 60 s), and de-identifies each into H.264 with VideoDeidentifier.DeidentifyFileAsync
// in a child process of its own, printing frames per second, decode and encode included, and the child's peak memory.
using System.Diagnostics;
using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Avatars.GroundTruth;
using FaceDefender.Video;
using FaceDefender.Video.IO;
using FaceDefender.Video.Processing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

if (args.Length >= 3 && args[0] == "run-one")
{
    return await EndToEnd.RunOneAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
}

if (args.Length >= 1 && args[0] == "e2e")
{
    return await EndToEnd.RunAsync(args[1..]);
}

int frames = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 300;
var presets = args.Length > 1 ? args[1..] : ["ultrafast", "superfast", "veryfast", "faster", "medium"];
var folder = Path.Combine(Path.GetTempPath(), "fd-video-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    var clip = Path.Combine(folder, "clip.mp4");
    var gen = Process.Start("ffmpeg", ["-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
        "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p", clip]);
    gen.WaitForExit();
    if (gen.ExitCode != 0)
    {
        throw new InvalidOperationException("ffmpeg could not generate the clip");
    }

    Console.WriteLine($"{Environment.ProcessorCount} logical CPUs; clip 1280x720, {frames} frames");
    var kept = new List<Image<Rgb24>>();
    for (int run = 0; run < 2; run++)
    {
        var open = await FfmpegVideoSource.OpenAsync(clip);
        await using var source = open.Source ?? throw new InvalidOperationException(open.Message);
        using var frame = new Image<Rgb24>(source.Info.Width, source.Info.Height);
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (await source.ReadAsync(frame))
        {
            if (run == 0 && kept.Count < 30)
            {
                kept.Add(frame.Clone());
            }

            n++;
        }

        sw.Stop();
        Console.WriteLine($"decode run {run + 1}: {n} frames in {sw.Elapsed.TotalSeconds:F2} s = {n / sw.Elapsed.TotalSeconds:F0} frames/s");
    }

    foreach (var (label, options, ext) in presets.Select(p => ($"H.264 {p} crf 18", new VideoWriteOptions { Preset = p }, ".mp4"))
                 .Append(("FFV1 lossless", new VideoWriteOptions { Codec = VideoCodec.Ffv1Lossless }, ".mkv")))
    {
        var output = Path.Combine(folder, "out" + ext);
        var sw = Stopwatch.StartNew();
        await using (var sink = FfmpegVideoSink.Create(output, 1280, 720, new FrameRate(30, 1), options with { Overwrite = true }))
        {
            for (int i = 0; i < frames; i++)
            {
                await sink.WriteAsync(kept[i % kept.Count]);
            }

            await sink.CompleteAsync();
        }

        sw.Stop();
        Console.WriteLine($"encode {label}: {frames} frames in {sw.Elapsed.TotalSeconds:F2} s = {frames / sw.Elapsed.TotalSeconds:F0} frames/s, {new FileInfo(output).Length / 1024} KiB");
    }

    kept.ForEach(k => k.Dispose());
}
finally
{
    Directory.Delete(folder, recursive: true);
}

return 0;

/// <summary>The end-to-end measurement: a moving kit face in, de-identified H.264 out.</summary>
internal static class EndToEnd
{
    public static async Task<int> RunAsync(string[] args)
    {
        int size = 1024;
        bool conserve = false;
        var seconds = new List<int>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--conserve-memory")
            {
                conserve = true;
            }
            else if (args[i] == "--size")
            {
                size = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                seconds.Add(int.Parse(args[i], CultureInfo.InvariantCulture));
            }
        }

        if (seconds.Count == 0)
        {
            seconds.AddRange([10, 60]);
        }

        string folder = Path.Combine(Path.GetTempPath(), "fd-video-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string clip = Path.Combine(folder, "face-10s.mp4");
            await WriteFaceClipAsync(clip, 300);
            Console.WriteLine($"{Environment.ProcessorCount} logical CPUs; a kit face moving on 1280x720, H.264; output {size} x {size}{(conserve ? "; GC ConserveMemory 7" : "")}");
            foreach (int s in seconds)
            {
                string input = clip;
                if (s != 10)
                {
                    input = Path.Combine(folder, $"face-{s}s.mp4");
                    Ffmpeg("-stream_loop", ((s + 9) / 10 - 1).ToString(CultureInfo.InvariantCulture), "-i", clip, "-c", "copy",
                        "-frames:v", (s * 30).ToString(CultureInfo.InvariantCulture), input);
                }

                string self = Environment.ProcessPath!;
                var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
                start.Environment["FD_E2E_MEMORY_TRACE"] = Environment.GetEnvironmentVariable("FD_E2E_MEMORY_TRACE") ?? "0";
                if (conserve)
                {
                    // What the facedefender tool sets in its runtime configuration (System.GC.ConserveMemory).
                    start.Environment["DOTNET_GCConserveMemory"] = "7";
                }
                if (Path.GetFileNameWithoutExtension(self) is "dotnet")
                {
                    start.ArgumentList.Add(typeof(EndToEnd).Assembly.Location);
                }

                foreach (string a in new[] { "run-one", input, size.ToString(CultureInfo.InvariantCulture) })
                {
                    start.ArgumentList.Add(a);
                }

                using Process child = Process.Start(start)!;
                string result = await child.StandardOutput.ReadToEndAsync();
                await child.WaitForExitAsync();
                Console.WriteLine($"{s,4} s of video: {result.Trim()}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    public static async Task<int> RunOneAsync(string input, int size)
    {
        string output = Path.Combine(Path.GetDirectoryName(input)!, Path.GetFileNameWithoutExtension(input) + ".deid.mp4");
        using var video = new VideoDeidentifier();
        var options = new VideoFileOptions
        {
            Processing = new VideoDeidentificationOptions { OutputSize = size },
            Write = new VideoWriteOptions { Overwrite = true },
        };
        var sw = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        bool trace = Environment.GetEnvironmentVariable("FD_E2E_MEMORY_TRACE") == "1";
        Task sampler = Task.Run(async () =>
        {
            while (trace && !sampling.IsCancellationRequested)
            {
                using var p = Process.GetCurrentProcess();
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{sw.Elapsed.TotalSeconds,6:F0} s: working set {p.WorkingSet64 >> 20} MiB, GC heap {GC.GetGCMemoryInfo().HeapSizeBytes >> 20} MiB, managed live {GC.GetTotalMemory(false) >> 20} MiB, gen2 collections {GC.CollectionCount(2)}, allocated {GC.GetTotalAllocatedBytes() >> 20} MiB"));
                await Task.Delay(5000, sampling.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        VideoFileResult result = await video.DeidentifyFileAsync(input, output, options);
        sw.Stop();
        await sampling.CancelAsync();
        await sampler;
        if (result.Status != VideoFileStatus.Success)
        {
            Console.WriteLine($"{result.Status}: {result.Message}");
            return 1;
        }

        int n = result.Report!.FrameCount;
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{n} frames in {sw.Elapsed.TotalSeconds:F1} s = {n / sw.Elapsed.TotalSeconds:F1} frames/s ({result.Report.FailedFrames.Count} failed, {result.Report.FullDetections} full detections); peak working set {self.PeakWorkingSet64 / (1024 * 1024)} MiB; CPU in this process {self.TotalProcessorTime.TotalSeconds:F1} s"));
        return 0;
    }

    private static async Task WriteFaceClipAsync(string path, int frames)
    {
        using GroundTruthRender render = GroundTruthFaceRenderer.Render(new GroundTruthScene
        {
            ImageSize = 720,
            Scale = 0.8f,
            Identity = 8,
            Sex = AvatarSex.Female,
            CameraLight = CameraLight.Default,
        });
        using var frame = new Image<Rgb24>(1280, 720);
        await using var sink = FfmpegVideoSink.Create(path, 1280, 720, new FrameRate(30, 1), new VideoWriteOptions { Overwrite = true });
        for (int i = 0; i < frames; i++)
        {
            // A slow sway: ±40 px sideways over 4 s, ±10 px up and down over 3 s.
            int dx = (int)Math.Round(40 * Math.Sin(2 * Math.PI * i / 120.0));
            int dy = (int)Math.Round(10 * Math.Sin(2 * Math.PI * i / 90.0));
            frame.Mutate(x => x.BackgroundColor(new Rgb24(100, 100, 100)).DrawImage(render.Image, new Point(280 + dx, dy), 1f));
            await sink.WriteAsync(frame);
        }

        await sink.CompleteAsync();
    }

    private static void Ffmpeg(params string[] args)
    {
        using Process p = Process.Start("ffmpeg", ["-hide_banner", "-v", "error", "-y", .. args])!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg failed: " + string.Join(' ', args));
        }
    }
}
