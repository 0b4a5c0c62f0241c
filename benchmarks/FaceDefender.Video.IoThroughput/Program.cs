// Decode-only and encode-only throughput of the FFmpeg video I/O layer (docs/video.md, "Reading and writing video").
// Usage: dotnet run -c Release --project benchmarks/FaceDefender.Video.IoThroughput [-- frames [preset ...]]
// Generates a 1280x720 H.264 clip with ffmpeg (testsrc2) in a temporary folder, then times
//   decode: FfmpegVideoSource reading every frame into one reused image;
//   encode: FfmpegVideoSink writing that many frames (30 decoded frames, cycled) with each preset, and FFV1.
using System.Diagnostics;
using FaceDefender.Video;
using FaceDefender.Video.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

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
