using System.Globalization;

namespace FaceDefender.Cli;

/// <summary>
/// Progress on stderr: a bar redrawn in place on a terminal, else one line per tenth of the work (and the last).
/// Thread-safe; counts that arrive out of order never move the display backwards.
/// </summary>
internal sealed class ProgressReporter(TextWriter writer, string what, bool bar)
{
    private const int BarWidth = 30;
    private readonly Lock _gate = new();
    private int _shown = -1;
    private int _lastTenth = -1;
    private bool _open;

    /// <summary>Shows <paramref name="done"/> of <paramref name="total"/>.</summary>
    public void Report(int done, int total)
    {
        lock (_gate)
        {
            if (done <= _shown)
            {
                return;
            }

            _shown = done;
            if (bar)
            {
                int filled = total == 0 ? BarWidth : done * BarWidth / total;
                int percent = total == 0 ? 100 : done * 100 / total;
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r{what} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {done}/{total} {percent,3}%"));
                _open = true;
                return;
            }

            int tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth > _lastTenth || done == total)
            {
                _lastTenth = tenth;
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} {done}/{total}"));
            }
        }
    }

    /// <summary>Writes a message on its own line (ending the bar's line first).</summary>
    public void Message(string text)
    {
        lock (_gate)
        {
            if (_open)
            {
                writer.WriteLine();
                _open = false;
            }

            writer.WriteLine(text);
        }
    }

    /// <summary>Ends the bar's line.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_open)
            {
                writer.WriteLine();
                _open = false;
            }
        }
    }
}
