// MSBuild task (compiled by RoslynCodeTaskFactory against netstandard2.0) that makes TorchSharp's native shim load on
// distributions whose libstdc++ is older than the GCC 13 one it was linked against (Debian 12).
//
// libLibTorchSharp.so asks for GLIBCXX_3.4.32 only for `std::ios_base_library_init`, a marker symbol
// that nothing calls. Marking that one version requirement VER_FLG_WEAK in .gnu.version_r turns the
// loader's fatal "version not found" into a warning. Only copies in the build output are touched, and
// only when the system libstdc++ really lacks the version: elsewhere the library stays unmodified.
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class MarkGlibcxxWeak : Task
{
    const string MissingVersion = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    static readonly string[] SystemLibstdcxx =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    [Required] public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !System.IO.Directory.Exists(Directory)) return true;
        var system = SystemLibstdcxx.FirstOrDefault(File.Exists);
        if (system == null || Contains(File.ReadAllBytes(system), Encoding.ASCII.GetBytes(MissingVersion)))
            return true; // a libstdc++ that has the version: leave TorchSharp exactly as shipped
        foreach (var lib in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(lib);
            switch (MarkWeak(bytes))
            {
                case Outcome.Patched:
                    var temp = lib + ".weak-tmp";
                    File.WriteAllBytes(temp, bytes);
                    File.Replace(temp, lib, null); // rename over the original: never a half-written library
                    Log.LogMessage(MessageImportance.High, $"Esp: marked {MissingVersion} weak in {lib} (system libstdc++ {system} lacks it)");
                    break;
                case Outcome.NotFound:
                    Log.LogWarning($"Esp: {lib} has no {MissingVersion} requirement; left as it is");
                    break;
            }
        }
        return true;
    }

    enum Outcome { Patched, AlreadyWeak, NotFound }

    static Outcome MarkWeak(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 /* ELFCLASS64 */)
            throw new InvalidDataException("libLibTorchSharp.so is not a 64-bit ELF file");
        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        long Section(int i) => shoff + (long)i * shentsize;
        for (int i = 0; i < shnum; i++)
        {
            if (BitConverter.ToUInt32(elf, (int)Section(i) + 4) != ShtGnuVerneed) continue;
            long verneed = (long)BitConverter.ToUInt64(elf, (int)Section(i) + 0x18);
            int strtab = (int)BitConverter.ToUInt32(elf, (int)Section(i) + 0x28);
            long strings = (long)BitConverter.ToUInt64(elf, (int)Section(strtab) + 0x18);
            for (long need = verneed; ; )
            {
                int count = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int k = 0; k < count; k++)
                {
                    string name = CString(elf, strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    if (name == MissingVersion)
                    {
                        int flagsAt = (int)aux + 4;
                        ushort flags = BitConverter.ToUInt16(elf, flagsAt);
                        if ((flags & VerFlgWeak) != 0) return Outcome.AlreadyWeak;
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, flagsAt);
                        return Outcome.Patched;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return Outcome.NotFound;
    }

    static string CString(byte[] bytes, long at)
    {
        int end = Array.IndexOf(bytes, (byte)0, (int)at);
        return Encoding.ASCII.GetString(bytes, (int)at, end - (int)at);
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int k = 0;
            while (k < needle.Length && haystack[i + k] == needle[k]) k++;
            if (k == needle.Length) return true;
        }
        return false;
    }
}
