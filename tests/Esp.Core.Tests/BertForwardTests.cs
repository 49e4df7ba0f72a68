using static TorchSharp.torch;

namespace Esp.Core.Tests;

/// <summary>
/// A tiny BERT's forward pass (vocabulary 11, hidden 4, FFN 6, 2 heads, 2 blocks, max length 8, float64, random
/// theta) against the paper's model written out step by step over plain arrays here: embeddings, masked multi-head
/// attention, post-LN blocks, the masked-LM head at the predicted positions and the pooled next-sentence head.
/// </summary>
public class BertForwardTests
{
    static readonly Bert Tiny = new(Vocab: 11, Hidden: 4, Ffn: 6, Heads: 2, Blocks: 2, MaxLength: 8, Dropout: 0.1);

    [Fact]
    public void The_forward_pass_matches_a_step_by_step_reference_to_1e_12()
    {
        var layout = Tiny.Layout;
        var theta = layout.Initial(new Rng(7)).Select((v, i) => v + 0.01 * Math.Sin(i)).ToArray(); // LayerNorms away from 1 and 0 too
        long[][] tokens = [[2, 5, 4, 3, 7, 8, 3, 0], [2, 9, 3, 10, 4, 3, 0, 0]];
        long[][] segments = [[0, 0, 0, 0, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1, 0, 0]];
        long[] lengths = [7, 6];
        long[][] positions = [[2, 5], [4, 1]];

        using var scope = NewDisposeScope();
        var parameters = tensor(theta, dtype: ScalarType.Float64);
        Tensor T(long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
        var (words, next) = Tiny.Forward(name => layout.View(parameters, name), T(tokens), T(segments), tensor(lengths), T(positions), dropout: null);
        Assert.Equal([2L, 2, 11], words.shape);
        Assert.Equal([2L, 2], next.shape);

        double[,] W(string name)
        {
            var s = layout[name];
            var (rows, columns) = s.Shape.Count == 2 ? ((int)s.Shape[0], (int)s.Shape[1]) : (1, (int)s.Shape[0]);
            var m = new double[rows, columns];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < columns; j++) m[i, j] = theta[s.Offset + i * columns + j];
            return m;
        }
        for (int b = 0; b < 2; b++)
        {
            var (expectedWords, expectedNext) = Reference(W, tokens[b], segments[b], (int)lengths[b], positions[b]);
            for (int s = 0; s < 2; s++)
                for (int v = 0; v < 11; v++) Assert.Equal(expectedWords[s][v], words[b, s, v].item<double>(), 1e-12);
            for (int c = 0; c < 2; c++) Assert.Equal(expectedNext[c], next[b, c].item<double>(), 1e-12);
        }
    }

    /// <summary>One pair through the model, loop by loop.</summary>
    static (double[][] Words, double[] Next) Reference(Func<string, double[,]> w, long[] tokens, long[] segments, int length, long[] positions)
    {
        int l = tokens.Length, h = Tiny.Hidden;
        var x = new double[l][];
        for (int t = 0; t < l; t++)
            x[t] = Enumerable.Range(0, h).Select(c => w("token_embedding")[tokens[t], c] + w("segment_embedding")[segments[t], c]
                + w("position_embedding")[t, c]).ToArray();
        for (int b = 0; b < Tiny.Blocks; b++)
        {
            string a = $"block{b}.attention";
            var q = x.Select(r => Linear(w, $"{a}.query", r)).ToArray();
            var k = x.Select(r => Linear(w, $"{a}.key", r)).ToArray();
            var v = x.Select(r => Linear(w, $"{a}.value", r)).ToArray();
            int width = h / Tiny.Heads;
            var mixed = new double[l][];
            for (int i = 0; i < l; i++)
            {
                mixed[i] = new double[h];
                for (int head = 0; head < Tiny.Heads; head++)
                {
                    var scores = Enumerable.Range(0, l).Select(j => j >= length ? -1e6
                        : Enumerable.Range(head * width, width).Sum(c => q[i][c] * k[j][c]) / Math.Sqrt(width)).ToArray();
                    double max = scores.Max(), total = scores.Sum(s => Math.Exp(s - max));
                    for (int j = 0; j < l; j++)
                        for (int c = head * width; c < (head + 1) * width; c++) mixed[i][c] += Math.Exp(scores[j] - max) / total * v[j][c];
                }
            }
            x = x.Select((r, i) => Norm(w, $"block{b}.norm1", Add(r, Linear(w, $"{a}.output", mixed[i])))).ToArray();
            x = x.Select(r => Norm(w, $"block{b}.norm2", Add(r, Linear(w, $"block{b}.ffn2", Relu(Linear(w, $"block{b}.ffn1", r)))))).ToArray();
        }
        var words = positions.Select(p => Linear(w, "mlm.output", Norm(w, "mlm.norm", Relu(Linear(w, "mlm.hidden", x[p]))))).ToArray();
        var pooled = Linear(w, "pooler", x[0]).Select(Math.Tanh).ToArray();
        return (words, Linear(w, "nsp.output", pooled));
    }

    static double[] Linear(Func<string, double[,]> w, string name, double[] x)
    {
        var (weight, bias) = (w($"{name}.weight"), w($"{name}.bias"));
        return Enumerable.Range(0, weight.GetLength(0)).Select(o => bias[0, o] + Enumerable.Range(0, x.Length).Sum(i => weight[o, i] * x[i])).ToArray();
    }

    static double[] Norm(Func<string, double[,]> w, string name, double[] x)
    {
        double mean = x.Average(), variance = x.Average(e => (e - mean) * (e - mean));
        var (gain, bias) = (w($"{name}.weight"), w($"{name}.bias"));
        return x.Select((e, c) => (e - mean) / Math.Sqrt(variance + 1e-5) * gain[0, c] + bias[0, c]).ToArray();
    }

    static double[] Add(double[] a, double[] b) => a.Zip(b, (x, y) => x + y).ToArray();
    static double[] Relu(double[] a) => a.Select(e => Math.Max(0, e)).ToArray();
}
