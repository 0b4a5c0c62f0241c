using BenchmarkDotNet.Running;

namespace FaceDefender.Benchmarks;

/// <summary>
/// Runs the benchmarks named by the arguments, e.g. <c>--filter *Warp*</c> (see docs/benchmarks.md), or
/// <c>cputime [runs]</c> for the wall-clock and thread-CPU-time harness of the issue-2 target kernels, or
/// <c>blurcpu [runs] [rounds]</c> / <c>blurcpu-offsets [runs]</c> / <c>blurcpu-strips [runs]</c> for the 8-bit blur against
/// its session-3 kernel, or <c>blendcpu [runs] [rounds]</c> for the alpha blend against a copy and its session-3 version, or
/// <c>avatarcpu [runs] [size]</c> for the same two clocks of the avatar renderer against its session-1 baseline, or
/// <c>landmarkcpu [rounds]</c> for the same two clocks of 478-point landmark detection (plain single pass and defaults),
/// or <c>avatarsweep [reps] [name-prefix]</c> / <c>avatarprofile [runs] [name ...]</c> for the CPU time of every embedded avatar and
/// the per-pass split of one render, or <c>avatardump dir [size]</c> to write renders for a pixel comparison of two
/// builds (see <see cref="AvatarSweepHarness"/>), or <c>avatarfixtures dir</c> to write the avatar golden files that
/// tests/FaceDefender.Tests/Avatars/AvatarRenderPathTests.cs compares against (run it with hardware intrinsics on, look at the
/// PNGs, then commit them: <c>-- avatarfixtures tests/FaceDefender.Tests/Fixtures/avatars</c> from the repository root).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "cputime")
        {
            CpuTimeHarness.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40);
            return;
        }

        if (args.Length > 0 && args[0] == "blurcpu")
        {
            BlurCpuTimeHarness.Run(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30,
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 6);
            return;
        }

        if (args.Length > 0 && args[0] == "blendcpu")
        {
            BlendCpuTimeHarness.Run(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40,
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
            return;
        }

        if (args.Length > 0 && args[0] == "blurcpu-strips")
        {
            BlurCpuTimeHarness.Strips(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
            return;
        }

        if (args.Length > 0 && args[0] == "blurcpu-offsets")
        {
            BlurCpuTimeHarness.Offsets(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
            return;
        }

        if (args.Length > 0 && args[0] == "avatarcpu")
        {
            AvatarCpuTimeHarness.Run(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 12,
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1024);
            return;
        }

        if (args.Length > 0 && args[0] == "avatarsweep")
        {
            AvatarSweepHarness.Sweep(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3, args.Length > 2 ? args[2] : null);
            return;
        }

        if (args.Length > 1 && args[0] == "avatardump")
        {
            AvatarSweepHarness.Dump(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1024);
            return;
        }

        if (args.Length > 1 && args[0] == "avatarfixtures")
        {
            AvatarSweepHarness.WriteAvatarFixtures(args[1]);
            return;
        }

        if (args.Length > 0 && args[0] == "avatarprofile")
        {
            AvatarSweepHarness.Profile(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7,
                args.Skip(2).ToArray());
            return;
        }

        if (args.Length > 0 && args[0] == "landmarkcpu")
        {
            LandmarkCpuTimeHarness.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 6);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
