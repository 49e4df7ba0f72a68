using System.Globalization;
using Tensorboard;

namespace Esp;

/// <summary>
/// TensorBoard event files (events.out.tfevents.*), as PyTorch's, TensorFlow's, Lightning's and TorchSharp's
/// SummaryWriter write them and as Esp's --tensorboard exports: a folder's every sub-folder holding event files is a
/// run, named by its path below the folder (a file alone is one run). The frames are checked as <see cref="TfRecordFile"/>
/// says and parsed with Google.Protobuf (TorchSharp's generated Event messages). A scalar is a summary value's
/// simple_value, or a one-number tensor (TF2's tf.summary.scalar: float_val, double_val or tensor_content); a step
/// logged again replaces the earlier value, as TensorBoard shows it; an "epoch" scalar (Lightning's) gives the epochs. The run's settings: the hparams plugin's hyperparameters, and Esp's own "settings" text (a
/// Markdown table).
/// </summary>
static class TensorBoardLog
{
    public static IReadOnlyList<LoggedRun> Read(string path)
    {
        if (File.Exists(path)) return [Run(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? path, [path])];
        if (!Directory.Exists(path)) throw new FileNotFoundException($"no TensorBoard log at {Path.GetFullPath(path)}: give a folder of runs or an events.out.tfevents.* file");
        var runs = Directory.EnumerateFiles(path, "events.out.tfevents.*", SearchOption.AllDirectories)
            .GroupBy(f => Path.GetDirectoryName(f)!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Run(Path.GetRelativePath(path, g.Key) is var name && name != "." ? name : Path.GetFileName(Path.GetFullPath(path)),
                g.Order(StringComparer.Ordinal).ToList()))
            .ToList();
        return runs.Count > 0 ? runs
            : throw new FileNotFoundException($"{Path.GetFullPath(path)} holds no events.out.tfevents.* file: give the folder TensorBoard's --logdir would get");
    }

    static LoggedRun Run(string name, IReadOnlyList<string> files)
    {
        var scalars = new Dictionary<string, SortedDictionary<long, double>>();
        var settings = new List<(string, object)>();
        var notes = new List<string>();
        foreach (var file in files)
        {
            var (records, note) = TfRecordFile.Read(file);
            if (note != "") notes.Add(note);
            foreach (var record in records)
            {
                var e = Event.Parser.ParseFrom(record);
                if (e.WhatCase != Event.WhatOneofCase.Summary) continue;
                foreach (var value in e.Summary.Value)
                {
                    if (Scalar(value) is double v)
                        (scalars.TryGetValue(value.Tag, out var series) ? series : scalars[value.Tag] = [])[e.Step] = v;
                    else if (value.Metadata?.PluginData?.PluginName == "hparams")
                        settings.AddRange(HParams(value.Metadata.PluginData.Content));
                    else if (value.Tag.StartsWith("settings", StringComparison.Ordinal) && value.Tensor?.StringVal.Count > 0)
                        settings.AddRange(SettingsTable(value.Tensor.StringVal[0].ToStringUtf8()));
                }
            }
        }
        var tags = scalars.Where(t => t.Key != "epoch").ToDictionary(t => t.Key, t => LoggedSeries.Of(t.Value));
        var epoch = scalars.TryGetValue("epoch", out var epochs) ? LoggedSeries.Of(epochs) : null; // Lightning's TensorBoardLogger logs it
        return new LoggedRun("tensorboard", name, tags, epoch, settings, string.Join("; ", notes));
    }

    static double? Scalar(Summary.Types.Value value) => value.ValueCase switch
    {
        Summary.Types.Value.ValueOneofCase.SimpleValue => value.SimpleValue,
        Summary.Types.Value.ValueOneofCase.Tensor when value.Tensor.FloatVal.Count == 1 => value.Tensor.FloatVal[0],
        Summary.Types.Value.ValueOneofCase.Tensor when value.Tensor.DoubleVal.Count == 1 => value.Tensor.DoubleVal[0],
        // TensorFlow's C++ writer (tf.summary.scalar, Keras) keeps a tensor's numbers as little-endian bytes
        Summary.Types.Value.ValueOneofCase.Tensor when value.Tensor.Dtype == DataType.DtFloat && value.Tensor.TensorContent.Length == 4 =>
            BitConverter.ToSingle(LittleEndian(value.Tensor.TensorContent)),
        Summary.Types.Value.ValueOneofCase.Tensor when value.Tensor.Dtype == DataType.DtDouble && value.Tensor.TensorContent.Length == 8 =>
            BitConverter.ToDouble(LittleEndian(value.Tensor.TensorContent)),
        _ => null,
    };

    static byte[] LittleEndian(Google.Protobuf.ByteString bytes)
    {
        var array = bytes.ToByteArray();
        if (!BitConverter.IsLittleEndian) Array.Reverse(array);
        return array;
    }

    /// <summary>
    /// The hyperparameters of the hparams plugin's session_start_info (what PyTorch's add_hparams, Lightning's
    /// TensorBoardLogger and tf.summary's hparams write): HParamsPluginData field 3, SessionStartInfo, whose field 1 is
    /// map&lt;string, google.protobuf.Value&gt; (tensorboard/plugins/hparams/plugin_data.proto). The two messages are walked
    /// field by field with Google.Protobuf's reader (their classes are not generated here), the values parsed as Value.
    /// </summary>
    static IEnumerable<(string, object)> HParams(Google.Protobuf.ByteString content)
    {
        var start = Field(content, 3);
        if (start is null) yield break; // the experiment or session_end_info record
        var input = new Google.Protobuf.CodedInputStream(start.ToByteArray());
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            if (Google.Protobuf.WireFormat.GetTagFieldNumber(tag) != 1) { input.SkipLastField(); continue; }
            var entry = input.ReadBytes();
            var key = Field(entry, 1)?.ToStringUtf8();
            var value = Field(entry, 2) is { } bytes ? Google.Protobuf.WellKnownTypes.Value.Parser.ParseFrom(bytes) : null;
            if (key is null || value is null) continue;
            object? v = value.KindCase switch
            {
                Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NumberValue => value.NumberValue,
                Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue => value.StringValue,
                Google.Protobuf.WellKnownTypes.Value.KindOneofCase.BoolValue => value.BoolValue,
                _ => null,
            };
            if (v is not null) yield return (key, v);
        }
    }

    /// <summary>The last occurrence of length-delimited field <paramref name="number"/> of a message, or null.</summary>
    static Google.Protobuf.ByteString? Field(Google.Protobuf.ByteString message, int number)
    {
        var input = new Google.Protobuf.CodedInputStream(message.ToByteArray());
        Google.Protobuf.ByteString? found = null;
        for (uint tag; (tag = input.ReadTag()) != 0;)
            if (Google.Protobuf.WireFormat.GetTagFieldNumber(tag) == number && Google.Protobuf.WireFormat.GetTagWireType(tag) == Google.Protobuf.WireFormat.WireType.LengthDelimited)
                found = input.ReadBytes();
            else input.SkipLastField();
        return found;
    }

    /// <summary>The rows "| name | value |" of a Markdown table (Esp's settings text), numbers as numbers.</summary>
    static IEnumerable<(string, object)> SettingsTable(string text) =>
        text.Split('\n').Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length == 4 && cells[1] is not ("" or "setting") && !cells[1].StartsWith("---", StringComparison.Ordinal))
            .Select(cells => (cells[1], double.TryParse(cells[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? (object)number : cells[2]));
}
