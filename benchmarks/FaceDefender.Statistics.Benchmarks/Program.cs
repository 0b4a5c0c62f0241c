using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;

namespace FaceDefender.Statistics.Benchmarks;

/// <summary>
/// Entry point: `dotnet run -c Release -- --filter '*'` runs BenchmarkDotNet (every class uses a ShortRun job).
/// `dotnet run -c Release -- --cpu-time [runs]` instead times each workload in-process, reporting wall and
/// process CPU seconds (all threads), comparable with R's system.time on a shared, loaded machine;
/// `-- --cpu-time 5 reference` times only the reference-interval workloads.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--cpu-time")
        {
            int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
            CpuTime(runs, args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void CpuTime(int runs, string[] args)
    {
        var boot = new BootstrapBenchmarks();
        boot.Setup();
        var sw = new ShapiroWilkBenchmarks();
        sw.Setup();
        var kappa = new KappaBenchmarks();
        kappa.Setup();
        var reference = new ReferenceIntervalBenchmarks();
        reference.Setup();
        Measure("reference interval 1 column, previous method", runs, () => reference.OneColumn_TwoSortingBootstraps());
        Measure("reference interval 1 column, builder", runs, () => reference.OneColumn_Builder());
        Measure("reference intervals 17 columns, builder", runs, () => reference.SeventeenColumns_Builder());
        if (args.Length > 2 && args[2] == "reference")
        {
            return;
        }

        Measure("bootstrap mean B=10000 (replicates only)", runs, () => boot.ReplicatesOnly_Mean());
        Measure("bootstrap mean + BCa", runs, () => boot.Bca_Mean());
        Measure("bootstrap mean + norm/basic/perc/BCa", runs, () => boot.AllFourIntervals_Mean());
        Measure("bootstrap median + BCa", runs, () => boot.Bca_Median());
        Measure("Shapiro-Wilk n=5000 (x100 calls)", runs, () =>
        {
            double s = 0;
            for (int i = 0; i < 100; i++)
            {
                s += sw.ShapiroWilk5000();
            }

            return s;
        });
        Measure("kappa on 1e6 pairs (unweighted)", runs, () => kappa.Unweighted());
    }

    private static void Measure(string label, int runs, Func<double> work)
    {
        work(); // warm-up (JIT)
        var wall = new List<double>();
        var cpu = new List<double>();
        using Process self = Process.GetCurrentProcess();
        for (int i = 0; i < runs; i++)
        {
            self.Refresh();
            TimeSpan cpu0 = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            work();
            watch.Stop();
            self.Refresh();
            wall.Add(watch.Elapsed.TotalSeconds);
            cpu.Add((self.TotalProcessorTime - cpu0).TotalSeconds);
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{label,-42} elapsed: {string.Join(" ", wall.Select(w => w.ToString("F3", CultureInfo.InvariantCulture)))}  median {Median(wall):F4} s | cpu median {Median(cpu):F4} s"));
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }
}
