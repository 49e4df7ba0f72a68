using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Esp.Scripting;

/// <summary>
/// One <c>--NAME VALUE</c> option a script reads: a call <c>Args.Get("NAME", fallback)</c> at File(Line).
/// Fallback is the fallback's source text ("0.06", "\"cosine\""), Type what it converts to ("integer", "number",
/// "text", "true/false", or the type argument of <c>Args.Get&lt;T&gt;</c>), when the source says.
/// </summary>
public sealed record DeclaredOption(string Name, string Fallback, bool FallbackIsLiteral, string? Type, string File, int Line);

/// <summary>
/// The options a script and its #load files read, found in their syntax trees before anything runs, so that a
/// misspelt option is refused before the compute. Computed is the places that read an option whose name is not a
/// string literal (<c>Args.Get(name, 1)</c>): any option may be one of those, so the check cannot be complete.
/// </summary>
public sealed record DeclaredOptions(IReadOnlyList<DeclaredOption> Options, IReadOnlyList<string> Computed)
{
    /// <summary>The distinct names in source order.</summary>
    public IReadOnlyList<string> Names => Options.Select(o => o.Name).Distinct().ToList();

    public static DeclaredOptions Find(IEnumerable<SyntaxTree> trees)
    {
        var options = new List<DeclaredOption>();
        var computed = new List<string>();
        foreach (var tree in trees)
            foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (!IsArgsGet(call, out var typeArgument)) continue;
                var name = Argument(call, 0, "name");
                var fallback = Argument(call, 1, "fallback");
                var at = $"{Path.GetFileName(tree.FilePath)}({call.GetLocation().GetLineSpan().StartLinePosition.Line + 1})";
                if (name?.Expression is not LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal)
                {
                    computed.Add(at);
                    continue;
                }
                var line = call.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                var literalFallback = fallback is not null && IsLiteral(fallback.Expression);
                options.Add(new DeclaredOption(literal.Token.ValueText, fallback?.Expression.ToString() ?? "",
                    literalFallback, typeArgument ?? (literalFallback ? TypeOf(fallback!.Expression) : null),
                    Path.GetFileName(tree.FilePath), line));
            }
        return new DeclaredOptions(options, computed);
    }

    /// <summary><c>Args.Get(...)</c> or <c>Args.Get&lt;T&gt;(...)</c>, also as <c>x.Args.Get(...)</c>.</summary>
    static bool IsArgsGet(InvocationExpressionSyntax call, out string? typeArgument)
    {
        typeArgument = null;
        if (call.Expression is not MemberAccessExpressionSyntax { Name: var method } access) return false;
        if (method.Identifier.ValueText != "Get") return false;
        var receiver = access.Expression switch
        {
            IdentifierNameSyntax id => id.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            _ => null,
        };
        if (receiver != "Args") return false;
        if (method is GenericNameSyntax { TypeArgumentList.Arguments: [var t] }) typeArgument = t.ToString();
        return true;
    }

    /// <summary>The argument named <paramref name="name"/>, else the one at <paramref name="position"/> if it is positional.</summary>
    static ArgumentSyntax? Argument(InvocationExpressionSyntax call, int position, string name)
    {
        var arguments = call.ArgumentList.Arguments;
        return arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name)
            ?? (position < arguments.Count && arguments[position].NameColon is null ? arguments[position] : null);
    }

    static bool IsLiteral(ExpressionSyntax e) => e switch
    {
        LiteralExpressionSyntax => true,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax } => true,
        _ => false,
    };

    static string? TypeOf(ExpressionSyntax literal) =>
        (literal is PrefixUnaryExpressionSyntax minus ? minus.Operand : literal) is LiteralExpressionSyntax l
            ? l.Token.Value switch
            {
                int or long => "integer",
                double or float or decimal => "number",
                string => "text",
                bool => "true/false",
                _ => null,
            }
            : null;
}
