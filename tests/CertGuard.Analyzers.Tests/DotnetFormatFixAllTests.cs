using CertGuard.Analyzers.Tests.Infrastructure;

namespace CertGuard.Analyzers.Tests;

/// <summary>
/// Fix All through the real `dotnet format analyzers` on a project of several files, where some diagnostics have a fix
/// and some (a callback that needs a person) do not: the fixable ones are fixed everywhere, the others left alone.
/// </summary>
public sealed class DotnetFormatFixAllTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "certguard-format-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Dotnet_format_fixes_CG1003_and_CG1005_in_every_file_and_skips_what_has_no_fix()
    {
        Directory.CreateDirectory(_directory);
        var analyzerDirectory = Path.GetDirectoryName(typeof(DotnetFormatFixAllTests).Assembly.Location)!;
        await File.WriteAllTextAsync(Path.Combine(_directory, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <Analyzer Include="{Path.Combine(analyzerDirectory, "CertGuard.Analyzers.dll")}" />
                <Analyzer Include="{Path.Combine(analyzerDirectory, "CertGuard.Analyzers.CodeFixes.dll")}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(_directory, "Handlers.cs"), """
            using System.Net.Security;
            namespace Sample;
            public static class Handlers
            {
                public static HttpClientHandler Create()
                {
                    var handler = new HttpClientHandler();
                    handler.ServerCertificateCustomValidationCallback = (m, c, ch, e) => true;
                    return handler;
                }

                public static HttpClientHandler Lenient() => new() { ServerCertificateCustomValidationCallback = (m, c, ch, errors) => errors == SslPolicyErrors.None || errors == SslPolicyErrors.RemoteCertificateChainErrors };
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(_directory, "Chains.cs"), """
            using System.Security.Cryptography.X509Certificates;
            namespace Sample;
            public static class Chains
            {
                public static void Relax(X509Chain chain)
                {
                    chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                    chain.ChainPolicy.VerificationFlags |= X509VerificationFlags.IgnoreNotTimeValid;
                }
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(_directory, "Streams.cs"), """
            using System.Net.Security;
            namespace Sample;
            public static class Streams
            {
                public static SslStream Wrap(Stream inner) => new SslStream(inner, false, (s, c, ch, e) => true);
                public static void Sockets(ClientWebSocketOptions o) => o.RemoteCertificateValidationCallback = (s, c, ch, e) => true;
            }
            """.Replace("ClientWebSocketOptions", "System.Net.WebSockets.ClientWebSocketOptions", StringComparison.Ordinal));

        var restore = await DotnetCli.RunAsync(_directory, "restore", "Sample.csproj");
        Assert.True(restore.ExitCode == 0, restore.Output);
        var format = await DotnetCli.RunAsync(_directory, "format", "analyzers", "Sample.csproj", "--diagnostics", "CG1003", "CG1005", "--severity", "info", "--no-restore", "-v", "diag");
        Assert.True(format.ExitCode == 0, format.Output);
        Assert.DoesNotContain("didn't return a Fix All action", format.Output, StringComparison.Ordinal);

        var handlers = await File.ReadAllTextAsync(Path.Combine(_directory, "Handlers.cs"));
        var chains = await File.ReadAllTextAsync(Path.Combine(_directory, "Chains.cs"));
        var streams = await File.ReadAllTextAsync(Path.Combine(_directory, "Streams.cs"));

        // Fixed: the accept-all assignment is gone, the flags are reset or dropped, SslStream gets null, the statement is removed.
        Assert.DoesNotContain("(m, c, ch, e) => true", handlers, StringComparison.Ordinal);
        Assert.Contains("chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;", chains, StringComparison.Ordinal);
        Assert.DoesNotContain("|=", chains, StringComparison.Ordinal);
        Assert.Contains("new SslStream(inner, false, null)", streams, StringComparison.Ordinal);

        // Left alone: a callback that accepts chain errors needs a person, and an expression-bodied method has no statement to remove.
        Assert.Contains("o.RemoteCertificateValidationCallback = (s, c, ch, e) => true", streams, StringComparison.Ordinal);
        Assert.Contains("errors == SslPolicyErrors.RemoteCertificateChainErrors", handlers, StringComparison.Ordinal);

        // And the result still compiles.
        var build = await DotnetCli.RunAsync(_directory, "build", "Sample.csproj", "--no-restore", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        Assert.True(build.ExitCode == 0, build.Output);
    }
}
