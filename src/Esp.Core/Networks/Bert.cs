using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// BERT as the paper's bert.py builds it: token + segment (2) + learned position embeddings (N(0, 1), PyTorch's
/// default for embeddings); Blocks post-LN blocks, each LayerNorm(X + dropout(attention(X))) then
/// LayerNorm(Y + dropout(FFN(Y))), with multi-head attention (Heads heads, with biases, dropout on the attention
/// weights, padding keys masked) and a ReLU FFN Hidden -> Ffn -> Hidden; a masked-LM head Linear(Hidden) -> ReLU ->
/// LayerNorm -> Linear(Vocab) on the predicted positions (not tied to the embedding) and a next-sentence head
/// Linear(2) on the tanh-pooled &lt;cls&gt;. Linear layers start as PyTorch's (U(+-1/sqrt(fan_in))), LayerNorms at 1 and 0.
/// </summary>
public sealed record Bert(int Vocab, int Hidden, int Ffn, int Heads, int Blocks, int MaxLength, double Dropout)
{
    /// <summary>The paper's BERT-tiny (figure 2b and the ablations' base), with a 30 000-entry vocabulary.</summary>
    public static Bert Tiny => new(30_000, 256, 512, 2, 2, 90, 0.1);

    /// <summary>The paper's BERT-small (figure 2a).</summary>
    public static Bert Small => new(30_000, 768, 1024, 6, 6, 90, 0.2);

    /// <summary>
    /// The CPU preset: BERT-tiny's shape (2 blocks, 2 heads, FFN twice the hidden size, dropout 0.1) at half its
    /// width, max length 64 and a 5 000-entry vocabulary: a step of batch 32 takes about 50 to 100 ms on two cores, so
    /// 30 epochs of 800 pairs take about a minute, and the model memorises its training pairs, the regime in which the
    /// sawtooth shows (at hidden 64 it memorises less and the sawtooth is weaker: bert_ablations.csx).
    /// </summary>
    public static Bert Cpu => new(5_000, 128, 256, 2, 2, 64, 0.1);

    /// <summary>Its hyperparameters as result columns of their own.</summary>
    public IEnumerable<(string Column, object Value)> Settings() =>
        [("model_kind", "bert"), ("hidden", Hidden), ("ffn", Ffn), ("heads", Heads), ("blocks", Blocks), ("max_length", MaxLength),
         ("vocab", Vocab), ("dropout", Dropout)];

    public string Label => $"bert h{Hidden} ffn{Ffn} heads{Heads} blocks{Blocks} len{MaxLength} vocab{Vocab}{(Dropout > 0 ? $" dropout {Require.Show(Dropout)}" : "")}";

    public IEnumerable<string> Errors()
    {
        if (Vocab < Vocabulary.Specials.Count + 1)
            yield return $"Bert.Vocab must be > {Vocabulary.Specials.Count} (the specials and at least one token), got {Vocab}: use e.g. 5000";
        if (Hidden < 1) yield return $"Bert.Hidden must be >= 1, got {Hidden}: use e.g. 256 (BERT-tiny)";
        if (Ffn < 1) yield return $"Bert.Ffn must be >= 1, got {Ffn}: use e.g. 512 (BERT-tiny)";
        if (Heads < 1 || Hidden % Math.Max(Heads, 1) != 0)
            yield return $"Bert.Heads must be >= 1 and divide Hidden = {Hidden}, got {Heads}: use e.g. 2";
        if (Blocks < 1) yield return $"Bert.Blocks must be >= 1, got {Blocks}: use e.g. 2";
        if (MaxLength < 5) yield return $"Bert.MaxLength must be >= 5 (<cls>, two <sep> and a token per sentence), got {MaxLength}: use e.g. 90 (the paper)";
        foreach (var e in Require.InRange("Bert.Dropout", Dropout, 0, 1, false, "use 0 (none) or e.g. 0.1")) yield return e;
    }

    /// <summary>Refuses a model with more parameters than one run can hold (only a well-formed one has a count).</summary>
    internal IEnumerable<string> CountErrors() => Errors().Any() ? [] : Layout.CountErrors(Label);

    /// <summary>
    /// What one pair's forward pass leaves in memory at MaxLength tokens (<paramref name="training"/>: with dropout's
    /// masks), for the memory estimate: the embeddings' gathers and sums; per block the query, key and value, the
    /// attention scores and their softmax, the mixed values and their contiguous copy, the output projection, the
    /// residual sums and norms, the FFN's two layers and ReLU; the masked-LM head on its <paramref name="slots"/>
    /// predicted positions with its logits and log-probabilities, and the pooler.
    /// </summary>
    internal ActivationCount Activations(bool training, int slots)
    {
        long l = MaxLength, h = Hidden, maps = Heads * l * l;
        bool drop = training && Dropout > 0;
        IEnumerable<long> Block() => [l * h, l * h, l * h, maps, maps, .. Enumerable.Repeat(l * h, 5), l * Ffn, l * Ffn, l * h, l * h, l * h,
            .. drop ? [maps, maps, l * h, l * h, l * h, l * h] : Array.Empty<long>()];
        return ActivationCount.Of(2 * l, [.. Enumerable.Repeat(l * h, 4), .. Enumerable.Range(0, Blocks).SelectMany(_ => Block()),
            .. Enumerable.Repeat((long)slots * h, 4), (long)slots * Vocab, (long)slots * Vocab, h, h]);
    }

    public ParamLayout Layout => ParamLayout.Of(
        new (string, long[], ParamInit, long, bool)[]
        {
            ("token_embedding", [Vocab, Hidden], ParamInit.Normal, 1, true),
            ("segment_embedding", [2, Hidden], ParamInit.Normal, 1, true),
            ("position_embedding", [MaxLength, Hidden], ParamInit.Normal, 1, true),
        }
        .Concat(Enumerable.Range(0, Blocks).SelectMany(b => new[] { "query", "key", "value", "output" }
            .SelectMany(w => Model.Linear($"block{b}.attention.{w}", Hidden, Hidden))
            .Concat(LayerNorm($"block{b}.norm1"))
            .Concat(Model.Linear($"block{b}.ffn1", Hidden, Ffn)).Concat(Model.Linear($"block{b}.ffn2", Ffn, Hidden))
            .Concat(LayerNorm($"block{b}.norm2"))))
        .Concat(Model.Linear("mlm.hidden", Hidden, Hidden)).Concat(LayerNorm("mlm.norm")).Concat(Model.Linear("mlm.output", Hidden, Vocab))
        .Concat(Model.Linear("pooler", Hidden, Hidden)).Concat(Model.Linear("nsp.output", Hidden, 2)));

    IEnumerable<(string, long[], ParamInit, long, bool)> LayerNorm(string name) =>
        [($"{name}.weight", [Hidden], ParamInit.Ones, 1, false), ($"{name}.bias", [Hidden], ParamInit.Zeros, 1, false)];

    /// <summary>
    /// The masked-LM logits [B, S, Vocab] at <paramref name="positions"/> [B, S] and the next-sentence logits [B, 2] of
    /// <paramref name="tokens"/> and <paramref name="segments"/> [B, L] (L &lt;= MaxLength) whose first
    /// <paramref name="validLengths"/> [B] tokens are the pair (the rest padding); <paramref name="dropout"/> null: evaluation.
    /// </summary>
    internal (Tensor MaskedLm, Tensor NextSentence) Forward(Func<string, Tensor> weight, Tensor tokens, Tensor segments,
        Tensor validLengths, Tensor positions, Dropout? dropout)
    {
        long batch = tokens.shape[0], length = tokens.shape[1];
        using var k = new Scalars(); // Tensor.add(Tensor)'s own alpha is a temporary the GC may free mid-call
        var x = weight("token_embedding").index_select(0, tokens.flatten()).view(batch, length, Hidden)
            .add(weight("segment_embedding").index_select(0, segments.flatten()).view(batch, length, Hidden), k[1])
            .add(weight("position_embedding").narrow(0, 0, length), k[1]);
        // keys at or past a pair's length are padding: their scores get -1e6, as the paper's masked softmax
        var padding = arange(length, device: tokens.device).unsqueeze(0).ge(validLengths.unsqueeze(1)).view(batch, 1, 1, length);
        for (int b = 0; b < Blocks; b++)
        {
            x = Norm(weight, $"block{b}.norm1", x.add(Drop(Attention(weight, $"block{b}.attention", x, padding, dropout), dropout), k[1]));
            var ffn = Model.Linear(weight, $"block{b}.ffn2", nn.functional.relu(Model.Linear(weight, $"block{b}.ffn1", x)));
            x = Norm(weight, $"block{b}.norm2", x.add(Drop(ffn, dropout), k[1]));
        }
        var predicted = x.gather(1, positions.unsqueeze(2).expand(-1, -1, Hidden));
        var maskedLm = Model.Linear(weight, "mlm.output", Norm(weight, "mlm.norm", nn.functional.relu(Model.Linear(weight, "mlm.hidden", predicted))));
        var pooled = Model.Linear(weight, "pooler", x.select(1, 0)).tanh();
        return (maskedLm, Model.Linear(weight, "nsp.output", pooled));
    }

    Tensor Drop(Tensor x, Dropout? dropout) => dropout is null ? x : dropout.Apply(x, Dropout);

    Tensor Attention(Func<string, Tensor> weight, string name, Tensor x, Tensor padding, Dropout? dropout)
    {
        long batch = x.shape[0], length = x.shape[1], width = Hidden / Heads;
        Tensor Split(string w) => Model.Linear(weight, $"{name}.{w}", x).view(batch, length, Heads, width).transpose(1, 2); // [B, heads, L, width]
        using var k = new Scalars();
        var scores = Split("query").matmul(Split("key").transpose(2, 3)).div_(k[Math.Sqrt(width)]).masked_fill_(padding, k[-1e6]);
        var attention = Drop(scores.softmax(-1), dropout);
        var mixed = attention.matmul(Split("value")).transpose(1, 2).reshape(batch, length, Hidden);
        return Model.Linear(weight, $"{name}.output", mixed);
    }

    Tensor Norm(Func<string, Tensor> weight, string name, Tensor x) =>
        nn.functional.layer_norm(x, [Hidden], weight($"{name}.weight"), weight($"{name}.bias"), 1e-5);
}
