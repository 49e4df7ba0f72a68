using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Esp.Scripting;

/// <summary>
/// Where in the script's own files an exception came from: every frame that lies in the script or one of its
/// #load files, outermost first, so the user's own line (the top-level call) leads and the helper that threw
/// follows. Frames of Esp, .NET and other libraries are left out.
/// </summary>
public static partial class ScriptCallSites
{
    public sealed record Site(string File, int Line, string? Function)
    {
        public override string ToString() => $"{File}({Line})" + (Function is null ? "" : $" {Function}");
    }

    public static IReadOnlyList<Site> Of(Exception e, IReadOnlyList<string> sourceFiles)
    {
        var sites = new List<Site>();
        // an outer exception is thrown where the inner one was caught: its frames are the inner one's callers
        for (var ex = e; ex != null; ex = ex is AggregateException { InnerExceptions: [var only] } ? only : ex.InnerException)
            foreach (var frame in new StackTrace(ex, fNeedFileInfo: true).GetFrames().Reverse())
            {
                if (frame.GetFileName() is not string file || !sourceFiles.Contains(file) || frame.GetFileLineNumber() <= 0) continue;
                var site = new Site(Path.GetFileName(file), frame.GetFileLineNumber(), Function(frame));
                if (sites.Count == 0 || sites[^1] != site) sites.Add(site);
            }
        return sites;
    }

    /// <summary>
    /// "main.csx(4): " then, when the exception passed through several script frames, the chain after the
    /// message: "  script frames, outermost first: main.csx(4) > helper.csx(2) Explode".
    /// </summary>
    public static (string Prefix, string Chain) Describe(Exception e, IReadOnlyList<string> sourceFiles)
    {
        var sites = Of(e, sourceFiles);
        if (sites.Count == 0) return ("", "");
        var prefix = $"{sites[0].File}({sites[0].Line}): ";
        return sites.Count == 1 ? (prefix, "") : (prefix, "  script frames, outermost first: " + string.Join(" > ", sites));
    }

    /// <summary>The script function a frame is in, by the compiler's names; null for the top level and lambdas.</summary>
    static string? Function(StackFrame frame)
    {
        var method = frame.GetMethod();
        if (method is null) return null;
        if (LocalFunction().Match(method.Name) is { Success: true } local) return local.Groups[1].Value;
        // an async or iterator function runs as MoveNext of a generated "<Name>d__N" class
        if (method.DeclaringType?.Name is string type && type.StartsWith('<'))
            return StateMachine().Match(type) is { Success: true } machine ? machine.Groups[1].Value : null;
        return Plain().IsMatch(method.Name) ? method.Name : null;
    }

    [GeneratedRegex(@"^[A-Za-z_]\w*$")] private static partial Regex Plain();
    [GeneratedRegex(@"g__(\w+)\|")] private static partial Regex LocalFunction();
    [GeneratedRegex(@"^<(\w+)>d__")] private static partial Regex StateMachine();
}
