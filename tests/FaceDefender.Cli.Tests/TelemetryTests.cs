using System.Diagnostics;

namespace FaceDefender.Cli.Tests;

/// <summary>
/// ONNX Runtime's telemetry stays off: a real run of the tool, in a clean environment without the CI variables (ONNX Runtime
/// switches itself off when it sees them, which would hide a regression), leaves none of the telemetry client's files: no
/// device id or event queue under the cache folder and no session file in the temp folder. The same switch stops its network
/// look-ups (docs/hostile-input.md shows the strace check).
/// </summary>
public sealed class TelemetryTests
{
    private static readonly string[] CiVariables =
    [
        "CI", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI", "JENKINS_URL", "BUILD_ID", "BUILDKITE", "CIRCLECI", "TRAVIS", "APPVEYOR", "TEAMCITY_VERSION",
        "CODEBUILD_BUILD_ID", "BITBUCKET_BUILD_NUMBER", "DRONE", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI", "ORT_RUNNING_UNIT_TESTS", "ORT_DISABLE_TELEMETRY",
        "XDG_CACHE_HOME", "RUN_ID", "BUILD_NUMBER",
    ];

    [Fact]
    public void A_run_of_the_tool_leaves_no_telemetry_files()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string home = Directory.CreateTempSubdirectory("fd-telemetry-home").FullName;
        string tmp = Directory.CreateTempSubdirectory("fd-telemetry-tmp").FullName;
        try
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FaceDefender.Cli.dll"));
            psi.ArgumentList.Add("assess");
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fixtures", "faces", "astronaut.png"));
            foreach (string v in CiVariables)
            {
                psi.Environment.Remove(v);
            }

            psi.Environment["HOME"] = home;
            psi.Environment["TMPDIR"] = tmp;
            using Process p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit(120_000).Should().BeTrue();
            p.ExitCode.Should().Be(0, stderr);
            stdout.Should().Contain("MRD1", "the models were loaded and run");

            string[] left = Directory.GetFileSystemEntries(home, "*", SearchOption.AllDirectories)
                .Concat(Directory.GetFileSystemEntries(tmp, "*", SearchOption.AllDirectories))
                .Where(f => f.Contains("onnxruntime", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(f) is ".ses" or "deviceid")
                .ToArray();
            left.Should().BeEmpty("ONNX Runtime's telemetry client must not start");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
            Directory.Delete(tmp, recursive: true);
        }
    }
}
