namespace FaceDefender.Cli.Tests;

/// <summary>The folder walk behind every batch: each real folder once, however many links lead to it.</summary>
public sealed class InputWalkerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fd-input-walker-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string[] Photos = [".jpg"];

    [Fact]
    public void A_chain_of_links_to_a_folder_already_listed_is_not_listed_again()
    {
        string input = Directory.CreateDirectory(Path.Combine(_root, "in")).FullName;
        Directory.CreateDirectory(Path.Combine(input, "real"));
        File.WriteAllText(Path.Combine(input, "real", "a.jpg"), "x");
        Directory.CreateSymbolicLink(Path.Combine(input, "l1"), Path.Combine(input, "real"));
        Directory.CreateSymbolicLink(Path.Combine(input, "l2"), Path.Combine(input, "l1"));

        InputWalker.Listing listing = InputWalker.Walk(input, null, Photos, followSymlinks: true);

        listing.Files.Should().ContainSingle("real, l1 and l2 are one folder, listed by whichever path the walk took first");
        listing.Problems.Should().HaveCount(2).And.AllSatisfy(p => p.Should().Contain("already listed"));
    }

    [Fact]
    public void A_folder_reached_through_a_linked_parent_is_the_same_folder()
    {
        string input = Directory.CreateDirectory(Path.Combine(_root, "in")).FullName;
        Directory.CreateDirectory(Path.Combine(input, "real"));
        File.WriteAllText(Path.Combine(input, "real", "a.jpg"), "x");
        Directory.CreateSymbolicLink(Path.Combine(input, "again"), Path.Combine(input, "real"));
        string alias = Path.Combine(_root, "alias");
        Directory.CreateSymbolicLink(alias, input);

        // Walked from the alias, "real" is alias/real, and "again" points at in/real: one folder, listed once.
        InputWalker.Listing listing = InputWalker.Walk(alias, null, Photos, followSymlinks: true);

        listing.Files.Select(f => f.Relative).Should().ContainSingle();
        listing.Problems.Should().ContainSingle().Which.Should().Contain("already listed");
    }
}
