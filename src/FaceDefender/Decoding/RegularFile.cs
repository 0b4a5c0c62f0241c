using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FaceDefender.Decoding;

/// <summary>Opening files that may turn out to be pipes, devices or sockets without blocking on them.</summary>
internal static class RegularFile
{
    /// <summary>
    /// Opens a path for reading only if it is a regular file. On Unix the file is opened non-blocking first, so a FIFO
    /// without a writer cannot hang the caller, and anything that cannot seek (pipes, character devices, sockets) is refused.
    /// </summary>
    public static FileStream OpenRead(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a folder, not a file.");
        }

        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }

        int flags = OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsFreeBSD() ? 0x0004 /* O_NONBLOCK */ : 0x0800 /* O_NONBLOCK */;
        int fd = NativeOpen(path, flags);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The file '{path}' does not exist.", path);
            }

            throw new IOException($"'{path}' could not be opened (errno {errno}).");
        }

        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        FileStream stream;
        try
        {
            stream = new FileStream(handle, FileAccess.Read, 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new IOException($"'{path}' is not a regular file (a pipe, device or socket); only regular files are read.");
        }

        return stream;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int NativeOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
}
