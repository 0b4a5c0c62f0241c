using BenchmarkDotNet.Running;

namespace FaceDefender.Statistics.Benchmarks;

/// <summary>Entry point: `dotnet run -c Release -- --filter '*'` (every class uses a ShortRun job).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
