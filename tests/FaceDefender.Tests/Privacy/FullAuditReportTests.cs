using System.Diagnostics;
using System.Globalization;
using FaceDefender.Abstractions;
using FaceDefender.Avatars;
using FaceDefender.Privacy;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace FaceDefender.Tests.Privacy;

/// <summary>
/// A fact run only on request: when FACEDEFENDER_AUDIT_OUTPUT names a folder (the full audits below take minutes),
/// and, for FaceRes, when the model is in the local cache.
/// </summary>
public sealed class AuditReportFactAttribute : FactAttribute
{
    /// <summary>Environment variable naming the folder the reports are written to.</summary>
    public const string OutputVariable = "FACEDEFENDER_AUDIT_OUTPUT";

    /// <summary>Sets Skip unless the output folder is given (and FaceRes is there when <paramref name="needsFaceRes"/>).</summary>
    public AuditReportFactAttribute(bool needsFaceRes = false)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OutputVariable)))
        {
            Skip = $"Full audit reports run only when {OutputVariable} names an output folder (they take minutes).";
        }
        else if (needsFaceRes && !FaceResModel.IsAvailable(null, out string? reason))
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// The full audit (every standard method, periocular and same-tool measures) on the test set of
/// <see cref="PrivacyTestData"/>, with each embedder; writes privacy-audit-&lt;embedder&gt;.{md,json,png,svg} and
/// the measured throughput. These are the figures of docs/privacy.md.
/// </summary>
[Trait("Category", "AuditReport")]
public sealed class FullAuditReportTests(ITestOutputHelper output)
{
    [AuditReportFact]
    public void Dlib_full_audit() => RunAndWrite(new DlibFaceEmbedder(), "dlib");

    [AuditReportFact(needsFaceRes: true)]
    [Trait("Requires", "FaceRes")]
    public void FaceRes_full_audit() => RunAndWrite(FaceResModel.Load(), "faceres");

    private void RunAndWrite(IFaceEmbedder embedder, string name)
    {
        using (embedder)
        {
            IReadOnlyList<AuditSample> samples = PrivacyTestData.Samples;
            var avatars = new ProceduralAvatarProvider(new ProceduralAvatarOptions { IdentitiesPerGroup = 64, CacheCapacity = 128 });
            IReadOnlyList<IProtectionMethod> methods = PrivacyAudit.StandardMethods(avatars);
            var options = new PrivacyAuditOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
            var clock = Stopwatch.StartNew();
            PrivacyAuditReport report = PrivacyAudit.Run(samples, methods, embedder, options);
            double seconds = clock.Elapsed.TotalSeconds;

            report.Images.Should().Be(samples.Count);
            MethodAuditResult raw = report.Methods.Single(m => m.Method == "raw");
            raw.RawGallery!.Rank1.Successes.Should().Be(raw.Protected, "the raw photo is found every time");
            report.GenuineImpostorAuc.Should().BeGreaterThan(0.9, $"{name} must separate genuine from impostor pairs");

            string timing = string.Create(CultureInfo.InvariantCulture,
                $"Audit of {samples.Count} photos x {methods.Count} methods (periocular and same-tool on) with {report.Embedder}: {seconds:F1} s on {options.MaxDegreeOfParallelism} threads = {samples.Count / seconds:F3} photos/s.");
            string markdown = report.ToMarkdown();
            output.WriteLine(markdown);
            output.WriteLine(timing);
            string folder = Environment.GetEnvironmentVariable(AuditReportFactAttribute.OutputVariable)!;
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, $"privacy-audit-{name}.md"), markdown + Environment.NewLine + timing + Environment.NewLine);
            File.WriteAllText(Path.Combine(folder, $"privacy-audit-{name}.json"), report.ToJson());
            File.WriteAllText(Path.Combine(folder, $"privacy-audit-{name}.svg"), PrivacyAuditPlot.ToSvg(report));
        }
    }
}
