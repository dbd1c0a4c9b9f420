using CertGuard.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CertGuard.Tests.TestSupport;

internal static class TestHosts
{
    /// <summary>A bare host with fake logging at Trace, the given configuration, and whatever <paramref name="configure"/> registers.</summary>
    public static IHost Build(IConfiguration configuration, Action<IServiceCollection, IConfiguration> configure)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();
        configure(builder.Services, builder.Configuration);
        return builder.Build();
    }

    public static async Task<IHost> StartAsync(IConfiguration configuration, Action<IServiceCollection, IConfiguration> configure)
    {
        var host = Build(configuration, configure);
        await host.StartAsync();
        await host.Services.GetRequiredService<CertificateMonitor>().FirstRefresh.WaitAsync(TimeSpan.FromSeconds(20));
        return host;
    }

    public static IConfiguration Memory(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();
}
