using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Esp;

/// <summary>
/// BERT pre-training (the paper's figure 2): <see cref="Model"/> learns masked-LM and next-sentence prediction on
/// pairs built once from <see cref="Corpus"/> (<see cref="PretrainingPairs"/>; DataSeed draws them, so every run of a
/// grid trains on the same pairs). The examples a sampler orders are the training pairs, at most TrainPairs of them
/// (null: all the corpus gives); the loss is the masked-LM cross-entropy (weighted mean over the prediction slots)
/// plus the next-sentence cross-entropy (mean over the batch). Tokens come from Microsoft.ML.Tokenizers' WordPiece
/// over VocabularyFile (one token a line, holding the specials), or over a vocabulary of at most Model.Vocab entries
/// built from the training sentences (<see cref="Vocabulary.Build"/>, cached by content).
/// Per step the results get mlm_loss and nsp_loss (the batch's parts of the loss) and, every PlotEvery steps, the
/// paper's validation numbers on the first ValidationPairs held-out pairs (no dropout): val_mlm_loss, val_nsp_loss,
/// val_mlm_accuracy, val_nsp_accuracy (NaN on the other steps).
/// </summary>
public sealed record BertPretraining(Bert Model, TextCorpus Corpus, int? TrainPairs = null, int ValidationPairs = 256, int PlotEvery = 50,
    string? VocabularyFile = null, int DataSeed = 0, Precision Precision = Precision.Float32, DecayOn DecayOn = DecayOn.All) : Problem
{
    static readonly ConcurrentDictionary<(BertPretraining, CorpusText), Lazy<BertData>> cache = new(); // the text: as read now

    internal override int Examples => HasData ? Data.Train.Count : 0;
    internal override int Parameters => Model.Layout.D;
    internal override Precision ElementPrecision => Precision;

    /// <summary>Every token of every pair passes through every weight: parameters x batch x max length.</summary>
    internal override double StepCost(int batchSize) => (double)Parameters * batchSize * Model.MaxLength;

    public override IEnumerable<(string Column, object Value)> Settings() =>
        [("model", Model.Label), .. Model.Settings(), ("data", Corpus.Label), ("n", Examples), ("d", Parameters), ("plot_every", PlotEvery),
         ("precision", Precision == Precision.Float64 ? "float64" : "float32"), ("decay_on", DecayOn == DecayOn.All ? "all" : "weights")];

    internal override IReadOnlyList<string> ReportedColumns => ValidationPairs > 0
        ? ["mlm_loss", "nsp_loss", "val_mlm_loss", "val_nsp_loss", "val_mlm_accuracy", "val_nsp_accuracy"]
        : ["mlm_loss", "nsp_loss"];

    internal override object? BatchKey => null; // a network run is a batch of its own

    internal override IReadOnlyList<string> DerivedSettings => ["model", "n", "d"];

    internal override (string Why, string Fix)? MaskedDecay => DecayOn == DecayOn.WeightsOnly ? ("BertPretraining.DecayOn = WeightsOnly", "use DecayOn.All") : null;

    /// <summary>theta with its moments, gradient and temporaries (8 D), the pairs (host and device: tokens, segments,
    /// and per slot position, label and weight), a training step's activations and a validation chunk's
    /// (<see cref="Bert.Activations"/>): validation runs within a step, while the step's own are still held.</summary>
    internal override long TensorBytesPerRun(Experiment x)
    {
        long size = Precision == Precision.Float64 ? 8 : 4;
        int slots = PretrainingPairs.SlotsFor(Model.MaxLength);
        long pairs = HasData ? (long)Data.Train.Count + Data.Validation.Count : 0;
        long data = 2 * pairs * (16L * Model.MaxLength + 20L * slots + 24);
        var evaluation = Model.Activations(training: false, slots);
        long chunk = Math.Min(evaluation.EvaluationChunk(BertTensors.MostPerEvaluation), ValidationPairs);
        return 8L * Parameters * size + data + Model.Activations(training: true, slots).TrainingBytes(x.BatchSize, size) +
            evaluation.EvaluationBytes(chunk, size);
    }

    internal override ITensorProblem Tensors(IReadOnlyList<Experiment> runs, Device device, ScalarType type) =>
        runs.Count == 1 ? new BertTensors(runs[0], this, device, type)
            : throw new ArgumentException($"BERT pre-training runs one run per batch, got {runs.Count}");

    public override IEnumerable<string> Errors() =>
        Model.Errors().Concat(Model.CountErrors()).Concat(Corpus.Errors()).Concat(SettingErrors());

    IEnumerable<string> SettingErrors()
    {
        if (TrainPairs is < 1) yield return $"BertPretraining.TrainPairs must be >= 1 or null (all), got {TrainPairs}: use e.g. 800";
        if (ValidationPairs < 0) yield return $"BertPretraining.ValidationPairs must be >= 0, got {ValidationPairs}: use e.g. 256 (0: no validation)";
        if (PlotEvery < 1) yield return $"BertPretraining.PlotEvery must be >= 1, got {PlotEvery}: use e.g. 50 (the paper's BERT-tiny)";
        if (!Enum.IsDefined(Precision)) yield return $"BertPretraining.Precision must be Float32 or Float64, got {(int)Precision}";
        if (VocabularyFile is not null && !File.Exists(VocabularyFile))
            yield return $"BertPretraining.VocabularyFile {VocabularyFile} not found: give a file of one token a line, or null to build one from the corpus";
    }

    /// <summary>Errors only the vocabulary file and the built data can show; the corpus is read and tokenised (once per process).</summary>
    internal override IEnumerable<string> DataErrors()
    {
        if (VocabularyFile is not null && File.ReadLines(VocabularyFile).Where(line => line.Length > 0).ToList() is var tokens)
        {
            var wrong = new List<string>();
            if (Vocabulary.MissingSpecials(tokens) is { Count: > 0 } missing)
                wrong.Add($"BertPretraining.VocabularyFile {VocabularyFile} lacks the specials {string.Join(", ", missing)}: add them, one a line " +
                    $"(all five: {string.Join(", ", Vocabulary.Specials)})");
            if (tokens.Count > Model.Vocab)
                wrong.Add($"BertPretraining.VocabularyFile {VocabularyFile} has {tokens.Count} tokens but Bert.Vocab is {Model.Vocab}: set Bert.Vocab to {tokens.Count}");
            if (wrong.Count > 0) return wrong; // no data is built from a vocabulary that cannot be used
        }
        return CorpusErrors();
    }

    IEnumerable<string> CorpusErrors()
    {
        var text = Corpus.Read();
        if (text.Train.Count == 0)
        {
            yield return $"BertPretraining: {Corpus.Label} has no training paragraph of two or more sentences, and a next-sentence pair needs two: " +
                "use a corpus of multi-sentence paragraphs (Fortunes, WikiText)";
            yield break;
        }
        if (ValidationPairs > 0 && text.Validation.Count == 0)
            yield return $"BertPretraining: {Corpus.Label} has no validation paragraph of two or more sentences: set ValidationPairs = 0 or use a corpus that has them";
        else if (ValidationPairs > 0 && Data.Train.Count > 0 && Data.Validation.Count == 0)
            yield return $"BertPretraining: no validation pair of {Corpus.Label} fits Bert.MaxLength = {Model.MaxLength}, so the validation columns " +
                "would stay empty: raise MaxLength, or set ValidationPairs = 0";
        if (Data.Train.Count == 0)
            yield return $"BertPretraining: no next-sentence pair fits Bert.MaxLength = {Model.MaxLength} (the shortest pair of sentences of {Corpus.Label} " +
                $"takes {Data.ShortestPair} tokens with <cls> and two <sep>): raise MaxLength to at least {Data.ShortestPair} (the paper: 90)";
        else if (TrainPairs is int asked && Data.Train.Count < asked)
            yield return $"BertPretraining.TrainPairs = {asked}, but only {Data.Train.Count} next-sentence pairs of {Corpus.Label} fit Bert.MaxLength = " +
                $"{Model.MaxLength}: raise MaxLength (the paper: 90), or ask for TrainPairs <= {Data.Train.Count}";
    }

    bool HasData => !Model.Errors().Concat(Corpus.Errors()).Concat(SettingErrors()).Any() && Corpus.Read().Train.Count > 0;

    /// <summary>What the runs train on, in words: pairs, validation pairs, vocabulary (reads and tokenises the corpus).</summary>
    public string DataSummary() =>
        $"{Corpus.Label}: {Data.Train.Count} training pairs, {Data.Validation.Count} validation pairs, vocabulary of {Data.Vocabulary.Size} WordPiece tokens" +
        (VocabularyFile is null ? " built from the training sentences" : $" from {VocabularyFile}");

    /// <summary>The vocabulary and pairs, built once per process for each description (the runs of a grid share them).</summary>
    internal BertData Data => cache.GetOrAdd((this with { Precision = Precision.Float32, DecayOn = DecayOn.All, PlotEvery = 1 }, Corpus.Read()),
        key => new Lazy<BertData>(() => BertData.Build(key.Item1, key.Item2))).Value;
}

/// <summary>What a BERT description trains on: its vocabulary, training and validation pairs.</summary>
sealed record BertData(Vocabulary Vocabulary, PretrainingPairs Train, PretrainingPairs Validation, int ShortestPair)
{
    public static BertData Build(BertPretraining p, CorpusText text)
    {
        var vocabulary = p.VocabularyFile is not null ? Vocabulary.FromFile(p.VocabularyFile)
            : Vocabulary.Build(text.Train.SelectMany(s => s).ToList(), p.Model.Vocab);
        int[][][] Tokenised(IReadOnlyList<string[]> paragraphs) => paragraphs.Select(s => s.Select(vocabulary.Encode).ToArray()).ToArray();
        var (train, validation) = (Tokenised(text.Train), Tokenised(text.Validation));
        return new BertData(vocabulary,
            PretrainingPairs.Build(train, vocabulary, p.Model.MaxLength, p.TrainPairs ?? int.MaxValue, Rng.For(p.DataSeed, "bert pairs")),
            PretrainingPairs.Build(validation, vocabulary, p.Model.MaxLength, p.ValidationPairs, Rng.For(p.DataSeed, "bert validation pairs")),
            PretrainingPairs.ShortestPair(train));
    }
}
