using FaceDefender.Decoding;

namespace FaceDefender.Cli;

/// <summary>
/// Tells videos from everything else by their first bytes, not their names: MP4/MOV/M4V/3GP (an ISO base media box
/// such as <c>ftyp</c> at offset 4), Matroska/WebM (the EBML signature), AVI (RIFF ... AVI). A file that cannot be read, and
/// anything that is not a regular file (a FIFO is never opened blocking), is not a video (it goes down the photo path,
/// which reports it as unreadable).
/// </summary>
internal static class MediaSniffer
{
    private static readonly string[] IsoBoxes = ["ftyp", "moov", "mdat", "wide", "free", "skip"];

    /// <summary>Whether the file's content is a video container.</summary>
    public static bool IsVideo(string path)
    {
        Span<byte> head = stackalloc byte[12];
        try
        {
            using FileStream stream = RegularFile.OpenRead(path);
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return IsVideo(head[..n]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="head"/> (a file's first bytes, at least 12 to decide) starts a video container.</summary>
    public static bool IsVideo(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3)
        {
            return true; // Matroska / WebM
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("AVI "u8))
        {
            return true;
        }

        if (head.Length >= 8)
        {
            string box = System.Text.Encoding.ASCII.GetString(head[4..8]);
            return IsoBoxes.Contains(box, StringComparer.Ordinal);
        }

        return false;
    }
}
