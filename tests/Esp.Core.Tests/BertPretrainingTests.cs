namespace Esp.Core.Tests;

/// <summary>
/// BERT pre-training as a problem: a WikiText-format corpus written here (paragraphs of "sentence . sentence"), the
/// results' columns, the loss falling, determinism per seed, the corpus readers and errors before compute.
/// </summary>
public sealed class BertPretrainingTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("esp-wikitext-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static readonly string[] Animals = ["cat", "dog", "bird", "fish", "horse", "cow"], Verbs = ["sees", "likes", "chases", "finds"];

    /// <summary>Paragraphs whose sentences follow a pattern a small model can learn: "the cat sees the dog ." then
    /// "the dog sees the bird ." (each sentence's object is the next one's subject).</summary>
    string WriteWikiText(int paragraphs, int validation = 8)
    {
        var rng = new Rng(11);
        string Paragraph()
        {
            int subject = rng.NextInt(Animals.Length), verb = rng.NextInt(Verbs.Length);
            var sentences = Enumerable.Range(0, 2 + rng.NextInt(3)).Select(_ =>
            {
                int obj = (subject + 1 + rng.NextInt(2)) % Animals.Length;
                var s = $"the {Animals[subject]} {Verbs[verb]} the {Animals[obj]}";
                subject = obj;
                return s;
            });
            return " " + string.Join(" . ", sentences) + " . ";
        }
        File.WriteAllLines(Path.Combine(folder, WikiText.TrainFile), [" = Animals = ", "", .. Enumerable.Range(0, paragraphs).Select(_ => Paragraph())]);
        File.WriteAllLines(Path.Combine(folder, WikiText.ValidationFile), Enumerable.Range(0, validation).Select(_ => Paragraph()));
        return folder;
    }

    static readonly Bert Small = new(Vocab: 80, Hidden: 16, Ffn: 32, Heads: 2, Blocks: 1, MaxLength: 16, Dropout: 0.1);

    BertPretraining Problem(int paragraphs = 60) => new(Small, new WikiText(WriteWikiText(paragraphs)), ValidationPairs: 16, PlotEvery: 5);

    static Experiment Training(BertPretraining problem, int epochs = 12, int seed = 0) =>
        new(problem, new Adam(Lr: 3e-3), Sampler.Shuffle, Epochs: epochs, BatchSize: 16, Seed: seed);

    [Fact]
    public void A_run_records_the_loss_parts_and_validation_every_plot_every_steps_and_the_loss_falls()
    {
        var problem = Problem();
        var r = Engine.Run(Training(problem)).RunRecords[0];

        Assert.Equal(RunStatus.Completed, r.Status);
        Assert.Equal(["loss", "lr_t", "mlm_loss", "nsp_loss", "val_mlm_loss", "val_nsp_loss", "val_mlm_accuracy", "val_nsp_accuracy"], r.StepColumnNames);
        var (loss, mlm, nsp) = (r.Losses, r.Column("mlm_loss"), r.Column("nsp_loss"));
        Assert.All(Enumerable.Range(0, r.StepsTaken), t => Assert.Equal(loss[t], mlm[t] + nsp[t], 1e-5));
        for (int t = 0; t < r.StepsTaken; t++)
            Assert.Equal((t + 1) % 5 == 0, double.IsFinite(r.Column("val_mlm_accuracy")[t]));
        Assert.All(r.Column("val_nsp_accuracy").Where(double.IsFinite), a => Assert.InRange(a, 0, 1));

        int perEpoch = r.Experiment.StepsPerEpoch;
        double First(double[] x) => x[..perEpoch].Average();
        double Last(double[] x) => x[^perEpoch..].Average();
        Assert.True(Last(mlm) < 0.6 * First(mlm), $"masked-LM loss {First(mlm):F3} -> {Last(mlm):F3}");
        var validation = r.Column("val_mlm_loss").Where(double.IsFinite).ToArray();
        Assert.True(validation[^1] < 0.7 * validation[0], $"validation masked-LM loss {validation[0]:F3} -> {validation[^1]:F3}");
        Assert.Contains(problem.Data.Train.Count.ToString(), problem.DataSummary());
    }

    [Fact]
    public void The_same_description_and_seed_give_the_same_numbers_bit_for_bit_and_another_seed_does_not()
    {
        var problem = Problem();
        var a = Engine.Run(Training(problem, epochs: 2)).RunRecords[0];
        var b = Engine.Run(Training(problem, epochs: 2)).RunRecords[0];
        var c = Engine.Run(Training(problem, epochs: 2, seed: 1)).RunRecords[0];

        Assert.Equal(a.Losses, b.Losses);
        Assert.Equal(a.Column("val_mlm_loss"), b.Column("val_mlm_loss"));
        Assert.NotEqual(a.Losses, c.Losses);
    }

    [Fact]
    public void A_run_resumed_from_a_checkpoint_gives_the_uninterrupted_numbers_bit_for_bit()
    {
        var checkpoints = Path.Combine(folder, "checkpoints");
        var options = new EngineOptions(CheckpointEvery: 1, CheckpointFolder: checkpoints);
        var x = Training(Problem(), epochs: 4);
        var whole = Engine.Run([x], TextWriter.Null, options: options).RunRecords[0];
        foreach (var file in Directory.GetFiles(checkpoints, "*", SearchOption.AllDirectories).Where(f => !f.Contains("-epoch2"))) File.Delete(file);

        var log = new StringWriter();
        var resumed = Engine.Run([x], log, options: options with { Resume = true }).RunRecords[0];
        Assert.Contains("resumed from the checkpoint after epoch 2 ", log.ToString());
        for (int c = 0; c < whole.StepColumns.Count; c++) Assert.Equal(whole.StepColumns[c], resumed.StepColumns[c]); // dropout and validation too
    }

    [Fact]
    public void WikiText_paragraphs_split_at_space_dot_space_and_single_sentence_lines_are_dropped()
    {
        File.WriteAllLines(Path.Combine(folder, WikiText.TrainFile), [" = Heading = ", " one sentence only . ", " a b . c d . e f . "]);
        File.WriteAllLines(Path.Combine(folder, WikiText.ValidationFile), [" g h . i j . "]);
        var text = new WikiText(folder).Read();
        Assert.Equal([["a b", "c d", "e f"]], text.Train);
        Assert.Equal([["g h", "i j"]], text.Validation);
    }

    [Fact]
    public void The_built_vocabulary_starts_with_the_specials_spells_every_word_and_is_the_same_from_the_same_text()
    {
        string[] sentences = ["The cat sat.", "the cat ran!", "a zebra"];
        var v = Vocabulary.Build(sentences, size: 100);
        Assert.Equal(Vocabulary.Specials, v.Tokens.Take(5));
        Assert.Equal([v.Tokens.ToList().IndexOf("the"), v.Tokens.ToList().IndexOf("cat"), v.Tokens.ToList().IndexOf("sat"), v.Tokens.ToList().IndexOf(".")],
            v.Encode("The CAT sat."));
        Assert.Equal(v.Tokens, Vocabulary.Build([.. sentences], size: 100).Tokens);
        var small = Vocabulary.Build(sentences, size: 5 + 2 * 14); // the specials and the 14 characters, alone and continuing
        Assert.Equal(["z", "##e", "##b", "##r", "##a"], small.Encode("zebra").Select(id => small.Tokens[id]));
        Assert.Equal([small.UnknownId], small.Encode("q"));
    }

    [Fact]
    public void A_corrupt_vocabulary_cache_entry_is_built_again_not_read()
    {
        string[] sentences = ["the cat sat .", "a zebra ran"];
        var file = Path.Combine(folder, "cache.vocab");
        var built = Vocabulary.Cached(file, sentences, 40);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes.Select((b, i) => i == 30 ? (byte)'q' : b).ToArray()); // one token changed on disk
        Assert.Equal(built.Tokens, Vocabulary.Cached(file, sentences, 40).Tokens);
        Assert.Equal(bytes, File.ReadAllBytes(file)); // and the entry is written whole again
        File.WriteAllBytes(file, []);
        Assert.Equal(built.Tokens, Vocabulary.Cached(file, sentences, 40).Tokens);
    }

    [Fact]
    public void Fewer_pairs_than_asked_is_a_refusal_that_names_max_length()
    {
        var fortunes = new BertPretraining(Small with { Vocab = 300, MaxLength = 6 }, new Fortunes(), TrainPairs: 800, ValidationPairs: 0);
        var e = Assert.Throws<InvalidExperimentException>(() => Engine.Run(Training(fortunes)));
        Assert.Matches(@"BertPretraining.TrainPairs = 800, but only \d+ next-sentence pairs of fortunes fit Bert.MaxLength = 6: raise MaxLength", e.Message);
        Assert.Single(e.Errors);
    }

    [Fact]
    public void Bad_corpora_lengths_and_vocabularies_are_refused_before_compute_with_the_fix()
    {
        string Error(BertPretraining p) => string.Join("\n", Assert.Throws<InvalidExperimentException>(() => Engine.Run(Training(p))).Errors);

        File.WriteAllLines(Path.Combine(folder, WikiText.TrainFile), [" = Heading = ", " one sentence . ", " another one . "]);
        File.WriteAllLines(Path.Combine(folder, WikiText.ValidationFile), [" a b . c d . "]);
        var noParagraph = Error(new BertPretraining(Small, new WikiText(folder)));
        Assert.Contains("has no training paragraph of two or more sentences", noParagraph);
        Assert.DoesNotContain("BatchSize", noParagraph); // the problem's own error says why it has no examples

        var problem = Problem();
        int shortest = PretrainingPairs.ShortestPair([.. new WikiText(folder).Read().Train.Select(p => p.Select(problem.Data.Vocabulary.Encode).ToArray())]);
        Assert.Contains($"no next-sentence pair fits Bert.MaxLength = 9", Error(problem with { Model = Small with { MaxLength = 9 } }));
        Assert.Contains($"raise MaxLength to at least {shortest}", Error(problem with { Model = Small with { MaxLength = 9 } }));

        var vocabulary = Path.Combine(folder, "vocab.txt");
        File.WriteAllLines(vocabulary, ["<pad>", "<unk>", "<cls>", "the", "cat"]);
        Assert.Contains($"BertPretraining.VocabularyFile {vocabulary} lacks the specials <sep>, <mask>", Error(problem with { VocabularyFile = vocabulary }));
        Assert.Contains("Fortunes: no fortune files in /nonexistent: install Debian's package (apt-get install fortunes)",
            Error(new BertPretraining(Small, new Fortunes("/nonexistent"))));
        Assert.Contains("WikiText: /nonexistent/wiki.train.tokens, /nonexistent/wiki.valid.tokens not found", Error(new BertPretraining(Small, new WikiText("/nonexistent"))));
        Assert.Contains("Bert.Heads must be >= 1 and divide Hidden = 16, got 3", Error(problem with { Model = Small with { Heads = 3 } }));

        // training pairs fit, but every validation paragraph's sentences are too long for a pair of MaxLength 16
        WriteWikiText(60);
        File.WriteAllLines(Path.Combine(folder, WikiText.ValidationFile), [" the cat sees the dog and the bird and the fish . the dog sees the bird and the cat and the fish . "]);
        Assert.Contains("no validation pair of wikitext", Error(new BertPretraining(Small, new WikiText(folder), ValidationPairs: 16)));
    }

    [Fact]
    public void Fortunes_gives_thousands_of_multi_sentence_paragraphs()
    {
        var text = new Fortunes().Read();
        Assert.InRange(text.Train.Count, 5000, 5500);
        Assert.InRange(text.Validation.Count, 250, 300);
        Assert.All(text.Train.Take(100), p => Assert.True(p.Length >= 2));
    }
}
