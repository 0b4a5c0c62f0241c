using System.Diagnostics;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceDefender.Video.Tests.IO;

/// <summary>One temporary folder for every clip the I/O tests generate with ffmpeg (deleted at the end), and helpers
/// to run ffmpeg/ffprobe. FFmpeg is required: without it every test here fails with a message saying to install it.</summary>
public sealed class FfmpegFixture : IDisposable
{
    public FfmpegFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "fd-video-io-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>A fresh empty subfolder (for tests that check what is left in a folder).</summary>
    public string NewFolder()
    {
        var dir = Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public string PathFor(string name) => Path.Combine(Folder, name);

    /// <summary>Runs ffmpeg with the arguments (after -hide_banner -v error -y); fails the test on a non-zero exit.</summary>
    public string Ffmpeg(params string[] args) => Run("ffmpeg", ["-hide_banner", "-v", "error", "-y", .. args]);

    /// <summary>ffprobe's JSON for format, streams and chapters.</summary>
    public JsonElement Probe(string path) =>
        JsonDocument.Parse(Run("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json", path])).RootElement.Clone();

    public string ProbeText(string path) =>
        Run("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json", path]);

    private static string Run(string tool, string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"{tool} is not installed or not on PATH ({e.Message}). The video I/O tests need FFmpeg: install it with " +
                "`sudo apt-get install ffmpeg` (CI installs it); these tests do not pass without it.", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
            }

            return stdout;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A deterministic frame: smooth gradients, a moving square and a little texture, so H.264 has real work.</summary>
    public static Image<Rgb24> SyntheticFrame(int width, int height, int index, bool noisy = false)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            uint state = (uint)(index * 7919 + 17);
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    bool square = Math.Abs(x - (index * 3 % width)) < width / 8 && Math.Abs(y - height / 2) < height / 8;
                    byte r = (byte)(x * 255 / Math.Max(1, width - 1));
                    byte g = (byte)(y * 255 / Math.Max(1, height - 1));
                    byte b = (byte)(127 + 120 * Math.Sin((x + y + index * 4) * 0.05));
                    if (noisy)
                    {
                        state = state * 1664525 + 1013904223;
                        r ^= (byte)(state >> 24);
                        g ^= (byte)(state >> 16);
                        b ^= (byte)(state >> 8);
                    }

                    row[x] = square ? new Rgb24(250, 250, 30) : new Rgb24(r, g, b);
                }
            }
        });
        return image;
    }
}

// Run alone (after other collections): the memory test reads the whole managed heap's size.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FfmpegCollection : ICollectionFixture<FfmpegFixture>
{
    public const string Name = "FFmpeg video I/O";
}
