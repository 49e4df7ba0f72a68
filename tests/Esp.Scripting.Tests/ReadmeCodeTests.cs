using System.Text.RegularExpressions;

/// <summary>
/// Every ```csharp block of README.md and experiments/README.md compiles with esp-script's own Roslyn host (its
/// references, imports and the Args / Run / EngineOptions globals), without running. A block is compiled as a
/// script as it stands, with experiments/ as its #load folder. The one wrapper: a block that does not compile
/// alone is taken as a fragment continuing the blocks above it in the same file (say, a line using the `grid` an
/// earlier block defined), and is compiled again after them; it fails only if that fails too.
/// </summary>
[Collection("esp-script")]
public sealed partial class ReadmeCodeTests
{
    static readonly string[] Documents = ["README.md", "experiments/README.md"];

    public sealed record Block(string Document, int Line, string Code)
    {
        public string FirstLine => Code.Split('\n')[0];

        /// <summary>The code with a #line directive, so that errors name the document's line: "README.md(40,8): error ...".</summary>
        public string Source => $"#line {Line} \"{Document}\"\n{Code}";
    }

    /// <summary>The ```csharp (or ```cs, ```csx) blocks of a Markdown file, with the line each starts on.</summary>
    public static IReadOnlyList<Block> BlocksOf(string document, string markdown)
    {
        var blocks = new List<Block>();
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!CSharpFence().IsMatch(lines[i])) continue;
            int start = i + 1, end = start;
            while (end < lines.Length && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal)) end++;
            blocks.Add(new Block(document, start + 1, string.Join('\n', lines[start..end])));
            i = end;
        }
        return blocks;
    }

    static IReadOnlyList<Block> BlocksOf(string document) =>
        BlocksOf(document, File.ReadAllText(Path.Combine(Repository.Root, document)));

    public static TheoryData<string, int> AllBlocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var document in Documents)
            foreach (var block in BlocksOf(document)) data.Add(document, block.Line);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllBlocks))]
    public void A_csharp_block_compiles_as_an_esp_script(string document, int line)
    {
        var blocks = BlocksOf(document);
        var block = blocks.Single(b => b.Line == line);
        var errors = ErrorsOf(block, blocks);
        Assert.True(errors.Count == 0, $"{document} line {line}, the block starting \"{block.FirstLine}\", does not compile " +
            $"as an esp-script script:\n{string.Join('\n', errors)}");
    }

    /// <summary>The block's own compile errors, or none when it compiles alone or after the blocks above it.</summary>
    static IReadOnlyList<string> ErrorsOf(Block block, IReadOnlyList<Block> document)
    {
        var errors = Compile(block.Source);
        if (errors.Count == 0) return errors;
        var above = string.Join('\n', document.TakeWhile(b => b.Line < block.Line).Select(b => b.Source));
        return above.Length > 0 && Compile(above + "\n" + block.Source).Count == 0 ? [] : errors;
    }

    /// <summary>The extraction finds what the documents hold: the README's script and its Run call with options.</summary>
    [Fact]
    public void The_readmes_blocks_are_found()
    {
        var readme = BlocksOf("README.md");
        Assert.Contains(readme, b => b.FirstLine == "// experiments/my_eps.csx");
        Assert.Contains(readme, b => b.FirstLine.StartsWith("var tensorRuns = Run(grid, EngineOptions with {", StringComparison.Ordinal));
        Assert.All(readme, b => Assert.DoesNotContain("```", b.Code));
    }

    /// <summary>The check can fail: a block with an error is reported with its first line and the compiler's message.</summary>
    [Fact]
    public void A_block_with_an_error_does_not_compile()
    {
        var broken = BlocksOf("doc.md", "text\n```csharp\n// broken example\nvar r = Run(new Experiment(new Adamm()));\n```\n").Single();
        Assert.Equal(3, broken.Line);
        Assert.Equal("// broken example", broken.FirstLine);
        Assert.Contains(ErrorsOf(broken, [broken]), e => e.Contains("doc.md(4,32): error CS0246: The type or namespace name 'Adamm' could not be found"));
    }

    [Fact]
    public void A_fragment_compiles_after_the_blocks_above_it_and_not_alone()
    {
        const string doc = """
            ```csharp
            var grid = new[] { new Experiment(new QuadraticProblem(N: 100, D: 100), new Adam(), Sampler.Shuffle, BatchSize: 10) };
            ```
            then:
            ```csharp
            var runs = Run(grid);
            ```
            """;
        var blocks = BlocksOf("doc.md", doc);
        Assert.Empty(ErrorsOf(blocks[1], blocks));
        var alone = BlocksOf("doc.md", doc[doc.IndexOf("then:")..]).Single();
        Assert.Contains(ErrorsOf(alone, [alone]), e => e.Contains("error CS0103: The name 'grid' does not exist"));
    }

    static IReadOnlyList<string> Compile(string code) =>
        ScriptCompiler.Errors(code, Path.Combine(Repository.Root, "experiments", "readme-block.csx"));

    [GeneratedRegex(@"^\s*```\s*(csharp|cs|csx)\s*$")]
    private static partial Regex CSharpFence();
}
