namespace CertGuard.Cli.Tests;

public sealed class PasswordTests : IDisposable
{
    private const string Password = "Sup3r-Secret-Pa55word-7f3a";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_protected_pfx_opens_with_a_password_file_and_the_password_appears_in_no_output()
    {
        var pfxCertificate = TestCertificates.Healthy("pfx.example");
        TestCertificates.WritePfx(_dir["certs/site.pfx"], pfxCertificate, Password);
        File.WriteAllText(_dir["passwords.txt"], "wrong-one\n" + Password + "\n");
        var outputs = new List<string>();

        foreach (var format in new[] { "table", "json", "csv", "markdown", "sarif", "html" })
        {
            var run = await CliRun.RunAsync("scan", _dir["certs"], "--password-file", _dir["passwords.txt"], "--format", format);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("pfx.example", run.Out);
            outputs.Add(run.Out);
            outputs.Add(run.Error);
        }

        var written = await CliRun.RunAsync("scan", _dir["certs"], "--password-file", _dir["passwords.txt"], "--format", "json", "--output", _dir["report.json"]);
        outputs.Add(written.Out);
        outputs.Add(written.Error);
        outputs.Add(File.ReadAllText(_dir["report.json"]));
        Assert.Contains("pfx.example", outputs[^1]);

        Assert.All(outputs, text => Assert.DoesNotContain(Password, text));
        Assert.All(outputs, text => Assert.DoesNotContain("wrong-one", text));
    }

    [Fact]
    public async Task A_wrong_password_is_an_error_that_does_not_echo_the_candidates()
    {
        TestCertificates.WritePfx(_dir["site.pfx"], TestCertificates.Healthy(), Password);
        File.WriteAllText(_dir["passwords.txt"], "candidate-one\ncandidate-two\n");

        var run = await CliRun.RunAsync("scan", _dir["site.pfx"], "--password-file", _dir["passwords.txt"], "--format", "json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("WrongPassword", run.Out);
        Assert.DoesNotContain("candidate-one", run.Out + run.Error);
        Assert.DoesNotContain("candidate-two", run.Out + run.Error);
    }

    [Fact]
    public async Task A_password_from_the_environment_opens_the_pfx()
    {
        var variable = "CERTGUARD_TEST_PASSWORD_" + Guid.NewGuid().ToString("N")[..8];
        TestCertificates.WritePfx(_dir["site.pfx"], TestCertificates.Healthy("env.example"), Password);
        Environment.SetEnvironmentVariable(variable, Password);
        try
        {
            var withVariable = await CliRun.RunAsync("scan", _dir["site.pfx"], "--password-env", variable, "--format", "json");
            var without = await CliRun.RunAsync("scan", _dir["site.pfx"], "--format", "json");

            Assert.True(withVariable.ExitCode == 0, withVariable.ToString());
            Assert.Contains("env.example", withVariable.Out);
            Assert.DoesNotContain(Password, withVariable.Out + withVariable.Error);
            Assert.Contains("PasswordRequired", without.Out);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Missing_password_sources_are_usage_errors()
    {
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());

        var missingFile = await CliRun.RunAsync("scan", _dir["c.pem"], "--password-file", _dir["nope.txt"]);
        var missingVariable = await CliRun.RunAsync("scan", _dir["c.pem"], "--password-env", "CERTGUARD_SURELY_UNSET_VARIABLE");

        Assert.Equal(2, missingFile.ExitCode);
        Assert.Contains("--password-file", missingFile.Error);
        Assert.Equal(2, missingVariable.ExitCode);
        Assert.Contains("CERTGUARD_SURELY_UNSET_VARIABLE", missingVariable.Error);
    }

    [Fact]
    public async Task A_password_given_as_the_variable_name_is_not_echoed()
    {
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());

        var run = await CliRun.RunAsync("scan", _dir["c.pem"], "--password-env", Password);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--password-env: the environment variable is not set", run.Error);
        Assert.DoesNotContain(Password, run.Out + run.Error);
    }
}
