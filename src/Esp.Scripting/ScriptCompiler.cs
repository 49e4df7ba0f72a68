using System.Collections.Immutable;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;

namespace Esp.Scripting;

/// <summary>A script ready to run: its entry point, the hash it is cached under, and whether it had to be compiled.</summary>
public sealed record CompiledScript(Func<ScriptGlobals, Task<object>> Run, string Hash, bool Compiled, double CompileSeconds,
    IReadOnlyList<string> SourceFiles);

/// <summary>
/// A script read and resolved but not compiled: its files, the options it reads, the hash its build is cached
/// under, and whether it has syntax errors (then the compiler, not the option check, speaks first). Compilation is
/// null when all of this came from the cache's index (<see cref="ScriptIndex"/>) without parsing.
/// </summary>
public sealed record ParsedScript(string FullPath, Compilation? Compilation, IReadOnlyList<string> SourceFiles,
    DeclaredOptions Options, string Hash, bool HasSyntaxErrors)
{
    public string FileName => Path.GetFileName(FullPath);
}

/// <summary>Thrown when a script does not compile; Errors are "file.csx(line,col): error CSxxxx: ..." lines.</summary>
public sealed class ScriptCompilationException(IReadOnlyList<string> errors) : Exception(string.Join("\n", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Compiles .csx scripts with Roslyn, with Esp, Deedle and plotting referenced and imported, and caches the
/// compiled assembly by a hash of every source (the script and its #load files) and of the Esp assemblies, so
/// an unchanged script runs without compiling.
/// </summary>
public static class ScriptCompiler
{
    static readonly string[] Imports =
        ["System", "System.IO", "System.Linq", "System.Collections.Generic", "Esp", "Deedle"];

    static readonly Assembly[] References =
        [typeof(Experiment).Assembly, typeof(Deedle.Frame).Assembly, typeof(XPlot.Plotly.Chart).Assembly,
         typeof(ScriptGlobals).Assembly, typeof(TorchSharp.torch).Assembly, typeof(Microsoft.FSharp.Core.Unit).Assembly];

    // Roslyn's scripting convention: the submission class and its static factory taking the submission array
    // (globals first). The cached assembly is entered the same way Roslyn enters a fresh one.
    const string SubmissionType = "Submission#0", FactoryMethod = "<Factory>";

    /// <summary>
    /// Reads the script and its #load files and resolves them, without binding or emitting anything: enough for the
    /// options it reads and for its cache hash. With <paramref name="cacheFolder"/>, an unchanged script's cached index
    /// answers instead, without starting the compiler.
    /// </summary>
    public static ParsedScript Parse(string path, string? cacheFolder = null)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"no script at {path}", path);
        if (cacheFolder is not null && ScriptIndex.TryRead(full, cacheFolder, AssemblyIds) is { } indexed
            && File.Exists(Path.Combine(cacheFolder, indexed.Hash + ".dll")))
            return indexed;
        var compilation = Create(File.ReadAllText(full), full).GetCompilation();
        return new ParsedScript(full, compilation, compilation.SyntaxTrees.Select(t => t.FilePath).ToList(),
            DeclaredOptions.Find(compilation.SyntaxTrees), Hash(compilation),
            compilation.SyntaxTrees.Any(t => t.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)));
    }

    public static CompiledScript Load(string path, string cacheFolder) => Load(Parse(path, cacheFolder), cacheFolder);

    static IEnumerable<Guid> AssemblyIds => References.Select(a => a.ManifestModule.ModuleVersionId);

    public static CompiledScript Load(ParsedScript parsed, string cacheFolder)
    {
        var (hash, sources) = (parsed.Hash, parsed.SourceFiles);
        var dll = Path.Combine(cacheFolder, hash + ".dll");
        var pdb = Path.Combine(cacheFolder, hash + ".pdb");

        // Cached builds carry a checksum: a missing, cut or changed one is compiled again, never loaded.
        if (ChecksummedFile.ReadCached(dll) is { } cachedDll && ChecksummedFile.ReadCached(pdb) is { } cachedPdb)
        {
            if (parsed.Compilation is not null) ScriptIndex.Write(parsed, cacheFolder, AssemblyIds);
            return new CompiledScript(EntryPoint(cachedDll, cachedPdb), hash, false, 0, sources);
        }
        if (parsed.Compilation is null) return Load(Parse(parsed.FullPath), cacheFolder); // the build vanished: parse again

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var peStream = new MemoryStream();
        using var pdbStream = new MemoryStream();
        var emitted = parsed.Compilation.Emit(peStream, pdbStream, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe).ToList();
        if (!emitted.Success) throw new ScriptCompilationException(errors);
        double seconds = clock.Elapsed.TotalSeconds;
        Directory.CreateDirectory(cacheFolder);
        ChecksummedFile.WriteBytes(pdb, pdbStream.ToArray());
        ChecksummedFile.WriteBytes(dll, peStream.ToArray());
        ScriptIndex.Write(parsed, cacheFolder, AssemblyIds);
        return new CompiledScript(EntryPoint(peStream.ToArray(), pdbStream.ToArray()), hash, true, seconds, sources);
    }

    /// <summary>
    /// The compile errors of <paramref name="code"/> as a script at <paramref name="filePath"/> (its #load base),
    /// with the same references, imports and globals as a real run; nothing is emitted, cached or run.
    /// </summary>
    public static IReadOnlyList<string> Errors(string code, string filePath) =>
        Create(code, Path.GetFullPath(filePath)).GetCompilation().GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe).ToList();

    static Script<object> Create(string code, string fullPath)
    {
        var options = ScriptOptions.Default
            .WithFilePath(fullPath)
            .WithReferences(References)
            .WithImports(Imports)
            .WithSourceResolver(new SourceFileResolver([], Path.GetDirectoryName(fullPath)!))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
        return CSharpScript.Create(code, options, typeof(ScriptGlobals));
    }

    /// <summary>"fig19.csx(12,5): error CS0103: The name 'x' does not exist in the current context".</summary>
    static string Describe(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        var file = Path.GetFileName(span.Path);
        var (line, col) = (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
        return $"{file}({line},{col}): error {d.Id}: {d.GetMessage()}";
    }

    static Func<ScriptGlobals, Task<object>> EntryPoint(byte[] pe, byte[] pdb)
    {
        var assembly = Assembly.Load(pe, pdb);
        var factory = assembly.GetType(SubmissionType)?.GetMethod(FactoryMethod, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"compiled script has no {SubmissionType}.{FactoryMethod}: clear the script cache");
        return globals => (Task<object>)factory.Invoke(null, [new object?[] { globals, null }])!;
    }

    static string Hash(Compilation compilation)
    {
        var text = new StringBuilder();
        foreach (var tree in compilation.SyntaxTrees) text.Append(tree.FilePath).Append('\0').Append(tree.GetText()).Append('\0');
        foreach (var id in AssemblyIds) text.Append(id).Append('\0');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..24].ToLowerInvariant();
    }

    /// <summary>~/.cache/esp/scripts, or $XDG_CACHE_HOME/esp/scripts.</summary>
    public static string DefaultCacheFolder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(root)) root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "esp", "scripts");
        }
    }
}
