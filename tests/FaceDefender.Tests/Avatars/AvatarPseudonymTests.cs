using System.Text;
using FaceDefender.Avatars;

namespace FaceDefender.Tests.Avatars;

public class AvatarPseudonymTests
{
    [Theory]
    // Expected values from Python's hmac module, independent of this code:
    //   v = int.from_bytes(hmac.new(b"FaceDefender avatar pseudonym v1", p.encode(), hashlib.sha256).digest()[:8], "big")
    //   "patient-001": v % 8 = 2, v % 64 = 2;  "P-42": v % 8 = 0, v % 64 = 40
    [InlineData("patient-001", 8, 2)]
    [InlineData("patient-001", 64, 2)]
    [InlineData("P-42", 8, 0)]
    [InlineData("P-42", 64, 40)]
    public void Matches_an_independent_hmac_sha256(string pseudonym, int choices, int expected)
    {
        AvatarPseudonym.Choose(AvatarPseudonym.DefaultKey, pseudonym, choices).Should().Be(expected);
    }

    [Fact]
    public void Default_key_is_the_documented_text()
    {
        AvatarPseudonym.DefaultKey.ToArray().Should().Equal(Encoding.UTF8.GetBytes(AvatarPseudonym.DefaultKeyText));
    }

    [Fact]
    public void Spreads_pseudonyms_over_all_choices_and_depends_on_the_key()
    {
        var counts = new int[8];
        int differ = 0;
        byte[] other = Encoding.UTF8.GetBytes("a site secret");
        for (int i = 0; i < 800; i++)
        {
            string p = $"patient-{i:D4}";
            int a = AvatarPseudonym.Choose(AvatarPseudonym.DefaultKey, p, 8);
            counts[a]++;
            if (AvatarPseudonym.Choose(other, p, 8) != a)
            {
                differ++;
            }
        }

        counts.Should().OnlyContain(c => c > 60 && c < 140, "800 draws over 8 choices should be near 100 each");
        differ.Should().BeGreaterThan(600, "another key should reassign about 7/8 of the pseudonyms");
    }

    [Fact]
    public void Rejects_empty_inputs()
    {
        var noKey = () => AvatarPseudonym.Choose(ReadOnlySpan<byte>.Empty, "x", 8);
        noKey.Should().Throw<ArgumentException>().WithParameterName("key");
        var noName = () => AvatarPseudonym.Choose(AvatarPseudonym.DefaultKey, "", 8);
        noName.Should().Throw<ArgumentException>();
        var noChoice = () => AvatarPseudonym.Choose(AvatarPseudonym.DefaultKey, "x", 0);
        noChoice.Should().Throw<ArgumentOutOfRangeException>();
    }
}
