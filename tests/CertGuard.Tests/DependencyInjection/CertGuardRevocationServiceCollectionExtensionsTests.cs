using CertGuard.Inspection;
using CertGuard.Inspection.Revocation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CertGuard.Tests.DependencyInjection;

public sealed class CertGuardRevocationServiceCollectionExtensionsTests
{
    [Fact]
    public void The_checker_is_one_singleton_with_the_configured_options()
    {
        var services = new ServiceCollection().AddCertificateRevocationChecker(o => o.RequestTimeout = TimeSpan.FromSeconds(2));
        using var provider = services.BuildServiceProvider();

        var checker = Assert.IsType<OcspCrlRevocationChecker>(provider.GetRequiredService<IRevocationChecker>());

        Assert.Same(checker, provider.GetRequiredService<IRevocationChecker>());
        Assert.Equal(TimeSpan.FromSeconds(2), checker.Options.RequestTimeout);
    }

    [Fact]
    public void Options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Revocation:RequestTimeout"] = "00:00:03",
            ["Revocation:PreferOcsp"] = "false",
            ["Revocation:MaxCrlSize"] = "1048576",
        }).Build();
        var services = new ServiceCollection()
            .Configure<RevocationCheckerOptions>(configuration.GetSection("Revocation"))
            .AddCertificateRevocationChecker();
        using var provider = services.BuildServiceProvider();

        var options = ((OcspCrlRevocationChecker)provider.GetRequiredService<IRevocationChecker>()).Options;

        Assert.Equal((TimeSpan.FromSeconds(3), false, 1_048_576L), (options.RequestTimeout, options.PreferOcsp, options.MaxCrlSize));
    }

    [Fact]
    public void Invalid_options_fail_when_the_checker_is_resolved_naming_the_setting()
    {
        var services = new ServiceCollection().AddCertificateRevocationChecker(o => o.TotalTimeout = TimeSpan.FromSeconds(1));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IRevocationChecker>());

        Assert.Contains("TotalTimeout must be at least RequestTimeout.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Online", RevocationCheckMode.Online)]
    [InlineData("offline", RevocationCheckMode.Offline)]
    [InlineData("OFF", RevocationCheckMode.Off)]
    public void The_revocation_mode_binds_from_configuration_text(string text, RevocationCheckMode expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Mode"] = text }).Build();

        Assert.Equal(expected, configuration.GetValue<RevocationCheckMode>("Mode"));
    }
}
