using System.Net;
using System.Text.RegularExpressions;

namespace Esp;

/// <summary>
/// SVG and PNG files of a saved page's drawings, for a paper: headless Chromium opens the page itself and plotly's own
/// toImage draws each drawing at the size it has on the page, so the files are the page's drawing, not a redrawing.
/// A page of one drawing gives NAME.svg and NAME.png; of several, NAME-1.svg, NAME-2.svg, ...
/// </summary>
public static class PageImages
{
    static readonly ScopedValue<bool> wanted = new();

    /// <summary>Whether <see cref="Figure.Save"/> writes images when its call does not say: the script's --images.</summary>
    public static bool Wanted => wanted.Value;

    /// <summary>Why images cannot be drawn here (no Chromium), or null when they can.</summary>
    public static string? Unavailable => HeadlessChromium.Path is null
        ? "drawing images needs headless Chromium, which is not installed: apt-get install chromium" : null;

    /// <summary>Makes <see cref="Wanted"/> <paramref name="images"/> for the code running now, until the scope is disposed.</summary>
    public static IDisposable Use(bool images) => wanted.Use(images);

    const string Export = """
        <script>
        window.addEventListener("load", async () => {
          const images = [];
          for (const drawing of document.querySelectorAll(".esp-drawing")) {
            const size = { width: drawing.offsetWidth, height: drawing.offsetHeight };
            images.push(await Plotly.toImage(drawing, { format: "svg", ...size }));
            images.push(await Plotly.toImage(drawing, { format: "png", scale: 2, ...size }));
          }
          const out = document.createElement("pre");
          out.id = "esp-images";
          out.textContent = JSON.stringify(images);
          document.body.appendChild(out);
        });
        </script>
        """;

    /// <summary>Writes the images of the page at <paramref name="page"/> beside it (each file atomically) and returns their paths.</summary>
    public static IReadOnlyList<string> Write(string page)
    {
        var html = File.ReadAllText(page);
        var copy = Path.Combine(Directory.CreateTempSubdirectory("esp-images-").FullName, "page.html");
        try
        {
            File.WriteAllText(copy, html.Replace("</body>", Export + "</body>", StringComparison.Ordinal));
            var dom = HeadlessChromium.DumpDom(copy);
            var found = Regex.Match(dom, "<pre id=\"esp-images\">(.*?)</pre>", RegexOptions.Singleline);
            if (!found.Success)
                throw new InvalidOperationException($"headless Chromium drew no images of {page}: the page's drawings did not finish");
            var urls = System.Text.Json.JsonSerializer.Deserialize<string[]>(WebUtility.HtmlDecode(found.Groups[1].Value))!;
            var stem = Path.Combine(Path.GetDirectoryName(page)!, Path.GetFileNameWithoutExtension(page));
            var written = new List<string>();
            for (int k = 0; k < urls.Length / 2; k++)
            {
                var name = urls.Length == 2 ? stem : $"{stem}-{k + 1}";
                written.Add(Save(name + ".svg", System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(After(urls[2 * k], "data:image/svg+xml,")))));
                written.Add(Save(name + ".png", Convert.FromBase64String(After(urls[2 * k + 1], "data:image/png;base64,"))));
            }
            return written;
        }
        finally { Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true); }
    }

    static string After(string url, string prefix) => url.StartsWith(prefix, StringComparison.Ordinal) ? url[prefix.Length..]
        : throw new InvalidOperationException($"plotly's toImage gave \"{url[..Math.Min(40, url.Length)]}...\", not {prefix}...");

    static string Save(string path, byte[] bytes)
    {
        AtomicFile.Write(path, stream => stream.Write(bytes));
        return path;
    }
}
