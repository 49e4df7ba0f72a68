using System.Globalization;
using System.Text;
using Deedle;

namespace Esp;

/// <summary>Writes Deedle frames as CSV (invariant culture, round-trip doubles, empty cells for missing values).</summary>
public static class Csv
{
    public static void Write(Frame<int, string> frame, TextWriter writer)
    {
        var keys = frame.ColumnKeys.ToArray();
        writer.WriteLine(string.Join(",", keys.Select(Quote)));
        var cells = keys.Select(k => frame.GetColumn<object>(k).GetAllValues().ToArray()).ToArray();
        int rows = frame.RowCount;
        var line = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            line.Clear();
            for (int c = 0; c < cells.Length; c++)
            {
                if (c > 0) line.Append(',');
                var v = cells[c][r];
                if (v.HasValue) line.Append(Format(v.Value));
            }
            writer.WriteLine(line);
        }
    }

    /// <summary>Writes <paramref name="table"/> (built for a frame) to <paramref name="path"/> whole or not at all.</summary>
    internal static void Save(Table table, string path) =>
        AtomicFile.Write(OutputFolder.Resolve(path), stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
            table.WriteCsv(writer);
        });

    /// <summary>Writes <paramref name="frame"/> to <paramref name="path"/> whole or not at all; a relative
    /// path goes into <see cref="OutputFolder.Current"/> (a script's results folder).</summary>
    public static void Save(Frame<int, string> frame, string path) =>
        AtomicFile.Write(OutputFolder.Resolve(path), stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
            Write(frame, writer);
        });

    internal static string Format(object v) => v switch
    {
        double d => double.IsNaN(d) ? "" : d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0", // a number: a flag only some runs have (SGD's nesterov) leaves pandas one dtype
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(v.ToString() ?? ""),
    };

    /// <summary>A CSV cell for text: quoted when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
