using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// A real one-node Slurm cluster for a test (Debian's slurmctld, slurmd and munge; ./test.sh installs them; it runs as
/// root): its own slurm.conf, ports, munge socket, state and spool folders in <see cref="Folder"/>, so it never meets
/// another cluster on the machine. The daemons run in the foreground as this process's children and are stopped by
/// their pids on Dispose, also when the test fails.
/// </summary>
sealed class SlurmCluster : IDisposable
{
    readonly List<Process> daemons = [];

    public string Folder { get; }
    public string Config => Path.Combine(Folder, "slurm.conf");

    public SlurmCluster(string folder)
    {
        Folder = folder;
        foreach (var tool in new[] { "/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch", "/usr/bin/sinfo" })
            Assert.True(File.Exists(tool), $"{tool} is missing: apt-get install -y slurmctld slurmd slurm-client munge (./test.sh does)");
        foreach (var sub in new[] { "state", "spool", "log" }) Directory.CreateDirectory(Path.Combine(folder, sub));
        var host = Run("hostname", "-s").Trim();
        var socket = Path.Combine(folder, "munge.sock");
        File.WriteAllText(Config, $"""
            ClusterName=esp{Environment.ProcessId}
            SlurmctldHost={host}
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            AuthType=auth/munge
            AuthInfo=socket={socket}
            CredType=cred/munge
            SlurmUser=root
            SlurmdUser=root
            StateSaveLocation={folder}/state
            SlurmdSpoolDir={folder}/spool
            SlurmctldPidFile={folder}/slurmctld.pid
            SlurmdPidFile={folder}/slurmd.pid
            SlurmctldLogFile={folder}/log/slurmctld.log
            SlurmdLogFile={folder}/log/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            AccountingStorageType=accounting_storage/none
            JobCompType=jobcomp/none
            ReturnToService=2
            MpiDefault=none
            NodeName={host} CPUs={Environment.ProcessorCount} RealMemory=2000 State=UNKNOWN
            PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP

            """);
        try
        {
            Start("/usr/sbin/munged", "-F", "--force", $"--socket={socket}", $"--pid-file={folder}/munged.pid",
                $"--log-file={folder}/log/munged.log", $"--seed-file={folder}/munged.seed");
            WaitFor(() => File.Exists(socket), "munged's socket");
            Start("/usr/sbin/slurmctld", "-D", "-f", Config);
            Start("/usr/sbin/slurmd", "-D", "-f", Config);
            WaitFor(() => Run("/usr/bin/sinfo", "-h", "-o", "%t").Trim() == "idle", "the node to be idle (sinfo)");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Runs a Slurm client command (sbatch, sinfo) against this cluster and returns its output; fails on a non-zero exit.</summary>
    public string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        info.Environment["SLURM_CONF"] = Config;
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(" ", args)} exited {process.ExitCode}: {err}{Logs()}");
        return output.Result;
    }

    void Start(string daemon, params string[] args)
    {
        var info = new ProcessStartInfo(daemon) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        daemons.Add(process);
    }

    void WaitFor(Func<bool> ready, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            Assert.True(daemons.All(d => !d.HasExited), $"a Slurm daemon exited while waiting for {what}{Logs()}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"waited 30 s for {what}{Logs()}");
            Thread.Sleep(200);
        }
    }

    /// <summary>The daemons' logs, for a failure message.</summary>
    public string Logs() => string.Concat(Directory.EnumerateFiles(Path.Combine(Folder, "log"))
        .Select(f => $"\n--- {Path.GetFileName(f)}:\n{string.Join("\n", File.ReadLines(f).TakeLast(15))}"));

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        // slurmd first (it reports to slurmctld), then slurmctld, then munged; each by its own pid
        foreach (var daemon in Enumerable.Reverse(daemons))
        {
            if (!daemon.HasExited)
            {
                // SIGTERM lets slurmctld stop its slurmscriptd child too; whatever remains after 10 s is killed with its children
                using (var term = Process.Start("kill", ["-TERM", daemon.Id.ToString()])!) term.WaitForExit();
                if (!daemon.WaitForExit(10_000)) daemon.Kill(entireProcessTree: true);
            }
            daemon.Dispose();
        }
        daemons.Clear();
    }
}
