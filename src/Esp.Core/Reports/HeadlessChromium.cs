using System.Diagnostics;

namespace Esp;

/// <summary>
/// Debian's Chromium, run headless on a page with the network off (no proxy answers and no host name resolves, so a page
/// that needed the network would show it), returning the DOM once the page's scripts have run.
/// </summary>
static class HeadlessChromium
{
    static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>The browser's path on PATH, or null when none is installed.</summary>
    public static string? Path => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .SelectMany(folder => Names.Select(name => System.IO.Path.Combine(folder, name))).FirstOrDefault(File.Exists);

    /// <summary>The page's DOM after its scripts ran in a window of <paramref name="width"/> x <paramref name="height"/> px.</summary>
    public static string DumpDom(string page, int width = 1400, int height = 1000)
    {
        var chromium = Path ?? throw new InvalidOperationException(
            "headless Chromium is not installed, and drawing a page's images needs it: apt-get install chromium");
        var profile = Directory.CreateTempSubdirectory("esp-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
                         "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", $"--window-size={width},{height}",
                         "--virtual-time-budget=30000", "--dump-dom", new Uri(System.IO.Path.GetFullPath(page)).AbsoluteUri })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var dom = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"headless Chromium did not finish {page} in 2 minutes; it was stopped");
            }
            if (process.ExitCode != 0 || dom.Result.Length == 0)
                throw new InvalidOperationException($"headless Chromium failed on {page} (exit code {process.ExitCode}): {error.Result.Trim()}");
            return dom.Result;
        }
        finally { Directory.Delete(profile, recursive: true); }
    }
}
