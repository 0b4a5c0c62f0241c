using System.ComponentModel;
using System.Diagnostics;
using FFMpegCore;

namespace FaceDefender.Video.IO;

/// <summary>Finds the ffmpeg and ffprobe executables: an explicit folder, else FFMpegCore's global binary folder, else
/// PATH.</summary>
internal static class FfmpegBinaries
{
    internal const string InstallHint =
        "Install FFmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg), " +
        "or set the folder that holds ffmpeg and ffprobe with FfmpegFolder in the options (or FFMpegCore's GlobalFFOptions.Configure(o => o.BinaryFolder = ...)).";

    /// <summary>The full path of <paramref name="name"/> (ffmpeg or ffprobe), or null when it is not there.</summary>
    internal static string? Find(string name, string? folder)
    {
        var exe = OperatingSystem.IsWindows() ? name + ".exe" : name;
        folder ??= string.IsNullOrWhiteSpace(GlobalFFOptions.Current.BinaryFolder) ? null : GlobalFFOptions.Current.BinaryFolder;
        if (folder is not null)
        {
            var candidate = Path.Combine(folder, exe);
            return File.Exists(candidate) ? Path.GetFullPath(candidate) : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    internal static string NotFoundMessage(string name, string? folder)
    {
        var where = folder is not null ? $"in '{folder}'" : "on PATH";
        return $"{name} was not found {where}. {InstallHint}";
    }
}

/// <summary>One running ffmpeg, with its standard streams as pipes and the tail of its error output kept.</summary>
internal sealed class FfmpegProcess : IAsyncDisposable
{
    private const int KeptErrorLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _errorTail = new();
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private FfmpegProcess(Process process)
    {
        _process = process;
    }

    internal Stream StandardInput => _process.StandardInput.BaseStream;

    internal Stream StandardOutput => _process.StandardOutput.BaseStream;

    internal bool HasExited => _process.HasExited;

    internal static FfmpegProcess Start(string ffmpeg, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info };
        var wrapper = new FfmpegProcess(process);
        process.ErrorDataReceived += (_, e) => wrapper.OnError(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new FileNotFoundException($"ffmpeg could not be started: {e.Message}", ffmpeg, e);
        }

        process.BeginErrorReadLine();
        return wrapper;
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            _errorClosed.TrySetResult();
            return;
        }

        lock (_errorTail)
        {
            _errorTail.Enqueue(line);
            while (_errorTail.Count > KeptErrorLines)
            {
                _errorTail.Dequeue();
            }
        }
    }

    /// <summary>The last lines of ffmpeg's error output (all of it once the process has exited and been awaited).</summary>
    internal string ErrorText
    {
        get
        {
            lock (_errorTail)
            {
                return string.Join('\n', _errorTail).Trim();
            }
        }
    }

    /// <summary>Waits for ffmpeg to exit and its error output to be read; returns the exit code.</summary>
    internal async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _errorClosed.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Stops ffmpeg at once (if it still runs) and waits for it to be gone, so its files are closed.</summary>
    internal async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        catch (Win32Exception)
        {
            // Exiting meanwhile.
        }

        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Left to the operating system; nothing more can be done here.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
