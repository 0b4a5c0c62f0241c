using FaceDefender.Abstractions;
using FaceDefender.Avatars;

namespace FaceDefender.Tests.Avatars;

public class AvatarAgeBucketsTests
{
    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 5)]
    [InlineData(6, 10)]
    [InlineData(10, 10)]
    [InlineData(11, 15)]
    [InlineData(15, 15)]
    [InlineData(16, 20)]
    [InlineData(20, 20)]
    [InlineData(21, 30)]
    [InlineData(30, 30)]
    [InlineData(31, 40)]
    [InlineData(45, 50)]
    [InlineData(61, 70)]
    [InlineData(79, 80)]
    [InlineData(80, 80)]
    [InlineData(81, 85)]
    [InlineData(85, 85)]
    [InlineData(104, 85)]
    [InlineData(130, 85)]
    public void Maps_ages_to_the_prototype_buckets_extended_to_85(int age, int bucket)
    {
        AvatarAgeBuckets.Map(age).Should().Be(bucket);
        new AvatarQuery(AvatarSex.Female, age, SkinTone.Light).AgeBucket.Should().Be(bucket);
    }

    [Fact]
    public void Lists_eleven_buckets_in_order()
    {
        AvatarAgeBuckets.All.Should().Equal(5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 85);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(131)]
    public void Rejects_impossible_ages(int age)
    {
        var act = () => AvatarAgeBuckets.Map(age);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ageYears");
    }

    [Fact]
    public void Query_rejects_blank_pseudonyms_and_undefined_enums()
    {
        var blank = () => new AvatarQuery(AvatarSex.Male, 40, SkinTone.Dark, "  ");
        blank.Should().Throw<ArgumentException>().WithParameterName("pseudonymKey");
        var sex = () => new AvatarQuery((AvatarSex)7, 40, SkinTone.Dark);
        sex.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sex");
    }
}
