using FaceDefender.Pipeline;

// A consumer of the FaceDefender NuGet package: de-identifies one portrait with the embedded defaults.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: PackageConsumer <photo> <output.png>");
    return 2;
}

FaceDeidentifier deidentifierOrNull;
try
{
    deidentifierOrNull = new FaceDeidentifier();
}
catch (FaceDefender.FaceDefenderException e)
{
    // A deployment error, such as no native ONNX Runtime in the application: the library says what to add.
    Console.Error.WriteLine($"error: {e.Message}");
    return 3;
}

using FaceDeidentifier deidentifier = deidentifierOrNull;
using DeidentificationResult result = deidentifier.Deidentify(args[0], new PatientInfo(PseudonymKey: "package-consumer"));
Console.WriteLine($"{result.Status}: {result.Message}");
if (!result.Succeeded)
{
    return 1;
}

result.SavePng(args[1], overwrite: true);
Console.WriteLine($"wrote {args[1]} ({result.Image!.Width} x {result.Image.Height})");
return 0;
