namespace Esp;

/// <summary>A file's identity for a per-process cache: its full path, length and last write time, so that a file
/// rewritten while the process runs (a test, an edited corpus) is read again.</summary>
static class FileStamp
{
    public static string Of(string path)
    {
        var file = new FileInfo(path);
        return $"{file.FullName}\t{file.Length}\t{file.LastWriteTimeUtc.Ticks}";
    }
}
