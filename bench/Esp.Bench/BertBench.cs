using System.Diagnostics;
using TorchSharp;

using static TorchSharp.torch;
using Esp;

/// <summary>
/// `dotnet run -c Release --project bench/Esp.Bench -- bert [repetitions]`: one training step of the BERT-tiny shape
/// (hidden 256, FFN 512, 2 heads, 2 blocks, dropout 0.1) at max length 64, vocabulary 8 000, batch 32, float32,
/// 2 intra-op threads, on fortune pairs: through Esp (Engine.Run, a whole run with its set-up) and through a bare
/// TorchSharp module of the same shape and arithmetic (nn.Embedding, nn.Linear, nn.LayerNorm, nn.Dropout,
/// torch.optim.Adam) on the same batches, alternating, medians over repetitions. The last line is the ratio.
/// </summary>
static class BertBench
{
    const int Steps = 30, BatchSize = 32;

    public static void Run(int repetitions)
    {
        torch.set_num_threads(2);
        Console.WriteLine($"bert bench: {Environment.ProcessorCount} cores, torch intra-op threads {torch.get_num_threads()}, median of {repetitions}");
        var problem = new BertPretraining(Bert.Tiny with { Vocab = 8000, MaxLength = 64 }, new Fortunes(), TrainPairs: Steps * BatchSize, ValidationPairs: 0);
        var x = new Experiment(problem, new Adam(1e-4), Sampler.Shuffle, Epochs: 1, BatchSize: BatchSize);
        Console.WriteLine(problem.DataSummary());
        var alone = new EngineOptions(IntraOpThreads: 2); // one run on the bare loop's 2 threads
        Engine.Run([x], TextWriter.Null, options: alone); // warm-up: JIT, libtorch, the corpus read and tokenised once
        Bare(x);

        var esp = new List<double>();
        var bare = new List<double>();
        for (int k = 0; k < repetitions; k++)
        {
            var clock = Stopwatch.StartNew();
            Engine.Run([x], TextWriter.Null, options: alone);
            esp.Add(clock.Elapsed.TotalMilliseconds / Steps);
            bare.Add(Bare(x));
        }
        double a = Timing.Median(esp), b = Timing.Median(bare);
        long tokens = (long)BatchSize * problem.Model.MaxLength;
        Console.WriteLine($"tokens/s (padded, {tokens} a step): esp {tokens * 1000 / a:F0}, bare TorchSharp {tokens * 1000 / b:F0}");
        Console.WriteLine($"bert: esp {a:F1} ms/step, bare TorchSharp {b:F1} ms/step, ratio {a / b:F2}");
    }

    /// <summary>One epoch of the same model shape, optimizer, batches and pairs as a hand-written TorchSharp loop; ms per step.</summary>
    static double Bare(Experiment x)
    {
        using var scope = NewDisposeScope();
        var problem = (BertPretraining)x.Problem;
        var pairs = problem.Data.Train;
        var (tokens, segments, lengths) = (tensor(pairs.Tokens, [pairs.Count, pairs.MaxLength]), tensor(pairs.Segments, [pairs.Count, pairs.MaxLength]),
            tensor(pairs.ValidLengths));
        var (positions, labels, weights, isNext) = (tensor(pairs.Positions, [pairs.Count, pairs.Slots]), tensor(pairs.Labels, [pairs.Count, pairs.Slots]),
            tensor(pairs.Weights, [pairs.Count, pairs.Slots]), tensor(pairs.IsNext));
        var model = new BareBert(problem.Model);
        var optimizer = optim.Adam(model.parameters(), 1e-4);
        var batches = new SampleOrder(x.Sampler, x.Problem.Examples, x.BatchSize, Rng.For(x.Seed, "sampler")).NextEpoch(0);
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            using var step = NewDisposeScope();
            var index = tensor(batch.Select(i => (long)i).ToArray());
            optimizer.zero_grad();
            var (words, next) = model.Forward(tokens.index_select(0, index), segments.index_select(0, index), lengths.index_select(0, index),
                positions.index_select(0, index));
            var w = weights.index_select(0, index);
            var wordLoss = nn.functional.cross_entropy(words.flatten(0, 1), labels.index_select(0, index).flatten(), reduction: nn.Reduction.None)
                .mul(w.flatten()).sum().div(w.sum().add(1e-8));
            var loss = wordLoss.add(nn.functional.cross_entropy(next, isNext.index_select(0, index)));
            loss.backward();
            optimizer.step();
        }
        return clock.Elapsed.TotalMilliseconds / batches.Length;
    }

    /// <summary>The paper's BERT written the usual TorchSharp way: modules holding their own parameters.</summary>
    sealed class BareBert : nn.Module
    {
        readonly Bert shape;
        readonly TorchSharp.Modules.Embedding token, segment;
        readonly TorchSharp.Modules.Parameter position;
        readonly TorchSharp.Modules.ModuleList<TorchSharp.Modules.Linear> attention = new(), ffn = new();
        readonly TorchSharp.Modules.ModuleList<TorchSharp.Modules.LayerNorm> norms = new();
        readonly TorchSharp.Modules.Linear mlmHidden, mlmOutput, pooler, nspOutput;
        readonly TorchSharp.Modules.LayerNorm mlmNorm;
        readonly TorchSharp.Modules.Dropout dropout;

        public BareBert(Bert shape) : base("bare_bert")
        {
            this.shape = shape;
            (token, segment) = (nn.Embedding(shape.Vocab, shape.Hidden), nn.Embedding(2, shape.Hidden));
            position = nn.Parameter(randn(shape.MaxLength, shape.Hidden));
            for (int b = 0; b < shape.Blocks; b++)
            {
                for (int k = 0; k < 4; k++) attention.Add(nn.Linear(shape.Hidden, shape.Hidden));
                ffn.Add(nn.Linear(shape.Hidden, shape.Ffn));
                ffn.Add(nn.Linear(shape.Ffn, shape.Hidden));
                norms.Add(nn.LayerNorm(shape.Hidden));
                norms.Add(nn.LayerNorm(shape.Hidden));
            }
            (mlmHidden, mlmOutput, mlmNorm) = (nn.Linear(shape.Hidden, shape.Hidden), nn.Linear(shape.Hidden, shape.Vocab), nn.LayerNorm(shape.Hidden));
            (pooler, nspOutput) = (nn.Linear(shape.Hidden, shape.Hidden), nn.Linear(shape.Hidden, 2));
            dropout = nn.Dropout(shape.Dropout);
            RegisterComponents();
        }

        public (Tensor Words, Tensor Next) Forward(Tensor tokens, Tensor segments, Tensor lengths, Tensor positions)
        {
            long batch = tokens.shape[0], length = tokens.shape[1], heads = shape.Heads, width = shape.Hidden / heads;
            var x = token.call(tokens).add(segment.call(segments)).add(position.narrow(0, 0, length));
            var padding = arange(length).unsqueeze(0).ge(lengths.unsqueeze(1)).view(batch, 1, 1, length);
            for (int b = 0; b < shape.Blocks; b++)
            {
                Tensor Split(int k) => attention[4 * b + k].call(x).view(batch, length, heads, width).transpose(1, 2);
                var scores = Split(0).matmul(Split(1).transpose(2, 3)).div_(Math.Sqrt(width)).masked_fill_(padding, -1e6);
                var mixed = dropout.call(scores.softmax(-1)).matmul(Split(2)).transpose(1, 2).reshape(batch, length, shape.Hidden);
                x = norms[2 * b].call(x.add(dropout.call(attention[4 * b + 3].call(mixed))));
                x = norms[2 * b + 1].call(x.add(dropout.call(ffn[2 * b + 1].call(nn.functional.relu(ffn[2 * b].call(x))))));
            }
            var predicted = x.gather(1, positions.unsqueeze(2).expand(-1, -1, shape.Hidden));
            var words = mlmOutput.call(mlmNorm.call(nn.functional.relu(mlmHidden.call(predicted))));
            return (words, nspOutput.call(pooler.call(x.select(1, 0)).tanh()));
        }
    }
}
