using System.Text.Json;
using CertGuard.Inspection;
using CertGuard.Loading;

namespace CertGuard.Cli.Tests;

public sealed class CliApplicationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("--help")]
    [InlineData("scan", "--help")]
    public async Task Help_calls_the_command_certguard(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:\n  certguard ", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("CertGuard.Cli", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("testhost", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_healthy_file_exits_0_and_is_listed()
    {
        TestCertificates.WritePem(_dir["good.pem"], TestCertificates.Healthy("good.example"));

        var run = await CliRun.RunAsync("scan", _dir["good.pem"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("good.example", run.Out);
        Assert.Contains("Healthy", run.Out);
        Assert.Contains("1 certificate(s): 1 healthy", run.Out);
    }

    [Fact]
    public async Task An_expired_certificate_exits_1_by_default()
    {
        TestCertificates.WritePem(_dir["old.pem"], TestCertificates.Expired());

        var run = await CliRun.RunAsync("scan", _dir["old.pem"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("expired", run.Out);
        Assert.Contains("Unhealthy", run.Out);
    }

    [Theory]
    [InlineData("unhealthy", 0)]
    [InlineData("degraded", 1)]
    [InlineData("never", 0)]
    public async Task A_degraded_certificate_fails_only_from_degraded(string failOn, int expected)
    {
        TestCertificates.WritePem(_dir["soon.pem"], TestCertificates.ExpiringSoon());

        var run = await CliRun.RunAsync("scan", _dir["soon.pem"], "--fail-on", failOn);

        Assert.True(run.ExitCode == expected, run.ToString());
        Assert.Contains("Degraded", run.Out);
    }

    [Theory]
    [InlineData("unhealthy", 1)]
    [InlineData("degraded", 1)]
    [InlineData("never", 0)]
    public async Task An_unhealthy_certificate_fails_unless_never(string failOn, int expected)
    {
        TestCertificates.WritePem(_dir["old.pem"], TestCertificates.Expired());

        var run = await CliRun.RunAsync("scan", _dir["old.pem"], "--fail-on", failOn);

        Assert.True(run.ExitCode == expected, run.ToString());
    }

    [Fact]
    public async Task A_load_error_counts_as_unhealthy_for_fail_on()
    {
        File.WriteAllText(_dir["garbage.pem"], "not a certificate");

        var failing = await CliRun.RunAsync("scan", _dir["garbage.pem"]);
        var never = await CliRun.RunAsync("scan", _dir["garbage.pem"], "--fail-on", "never");

        Assert.True(failing.ExitCode == 1, failing.ToString());
        Assert.Contains("UnrecognizedFormat", failing.Out);
        Assert.Contains("garbage.pem", failing.Out);
        Assert.True(never.ExitCode == 0, never.ToString());
    }

    [Theory]
    [InlineData("--format", "yaml")]
    [InlineData("--fail-on", "sometimes")]
    [InlineData("--revocation", "maybe")]
    [InlineData("--degraded-before", "soon")]
    [InlineData("--unhealthy-before", "120%")]
    [InlineData("--concurrency", "0")]
    [InlineData("--timeout", "-1")]
    [InlineData("--max-validity", "0")]
    [InlineData("--max-validity", "99999999")]
    [InlineData("--max-validity", "36501")]
    [InlineData("--no-such-option", "x")]
    public async Task A_bad_option_is_a_usage_error_naming_it(string option, string value)
    {
        TestCertificates.WritePem(_dir["good.pem"], TestCertificates.Healthy());

        var run = await CliRun.RunAsync("scan", _dir["good.pem"], option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(option, run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task No_target_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("scan");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("target", run.Error);
    }

    [Fact]
    public async Task No_command_is_a_usage_error()
    {
        var run = await CliRun.RunAsync();

        Assert.Equal(2, run.ExitCode);
        Assert.NotEmpty(run.Error);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_the_options()
    {
        var run = await CliRun.RunAsync("scan", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--format", "--output", "--password-file", "--password-env", "--trust", "--system-trust", "--sni", "--degraded-before", "--unhealthy-before", "--max-validity", "--owners", "--fail-on", "--concurrency", "--timeout", "--revocation", "--quiet" })
        {
            Assert.Contains(option, run.Out);
        }
    }

    [Fact]
    public async Task Unhealthy_before_longer_than_degraded_before_is_a_usage_error()
    {
        TestCertificates.WritePem(_dir["good.pem"], TestCertificates.Healthy());

        var run = await CliRun.RunAsync("scan", _dir["good.pem"], "--degraded-before", "10", "--unhealthy-before", "20d");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--unhealthy-before", run.Error);
    }

    [Fact]
    public async Task Thresholds_move_a_certificate_between_statuses()
    {
        // 200 days left of 365: healthy by default; degraded with a 250-day window (and a lifetime share above 200/365);
        // unhealthy with a 250-day unhealthy window.
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());

        var byDefault = await CliRun.RunAsync("scan", _dir["c.pem"], "--fail-on", "degraded");
        var daysOnly = await CliRun.RunAsync("scan", _dir["c.pem"], "--fail-on", "degraded", "--degraded-before", "250d");
        var degraded = await CliRun.RunAsync("scan", _dir["c.pem"], "--fail-on", "degraded", "--degraded-before", "250d", "--degraded-before", "70%");
        var unhealthy = await CliRun.RunAsync("scan", _dir["c.pem"], "--unhealthy-before", "250", "--unhealthy-before", "100%");

        Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
        Assert.True(daysOnly.ExitCode == 0, "the default one-third lifetime cap still applies: " + daysOnly);
        Assert.True(degraded.ExitCode == 1, degraded.ToString());
        Assert.Contains("Degraded", degraded.Out);
        Assert.True(unhealthy.ExitCode == 1, unhealthy.ToString());
        Assert.Contains("Unhealthy", unhealthy.Out);
    }

    [Fact]
    public async Task Max_validity_flags_long_lived_leaves()
    {
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());

        var byDefault = await CliRun.RunAsync("scan", _dir["c.pem"], "--format", "json");
        var strict = await CliRun.RunAsync("scan", _dir["c.pem"], "--format", "json", "--max-validity", "90");

        Assert.DoesNotContain("long-validity", byDefault.Out);
        Assert.Contains("long-validity", strict.Out);
    }

    [Fact]
    public async Task A_directory_with_good_and_bad_files_reports_both()
    {
        TestCertificates.WritePem(_dir["certs/a.pem"], TestCertificates.Healthy("a.example"));
        TestCertificates.WritePem(_dir["certs/nested/deeper/b.crt"], TestCertificates.Healthy("b.example"));
        File.WriteAllText(_dir["certs/broken.pem"], "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        File.WriteAllBytes(_dir["certs/empty.cer"], []);
        File.WriteAllText(_dir["certs/notes.txt"], "ignored: not a certificate file name");

        var run = await CliRun.RunAsync("scan", _dir["certs"], "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var subjects = json.RootElement.GetProperty("certificates").EnumerateArray().Select(c => c.GetProperty("subject").GetString()).Order().ToList();
        Assert.Equal(["CN=a.example", "CN=b.example"], subjects);
        var errors = json.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.GetProperty("source").GetString()!.EndsWith("broken.pem#1", StringComparison.Ordinal) || e.GetProperty("source").GetString()!.EndsWith("broken.pem", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.GetProperty("source").GetString()!.EndsWith("empty.cer", StringComparison.Ordinal) && e.GetProperty("reason").GetString() == "Empty");
        Assert.DoesNotContain("notes.txt", run.Out);
    }

    [Fact]
    public async Task A_glob_selects_only_matching_files()
    {
        TestCertificates.WritePem(_dir["a/x.pem"], TestCertificates.Healthy("x.example"));
        TestCertificates.WritePem(_dir["a/b/y.pem"], TestCertificates.Healthy("y.example"));
        TestCertificates.WritePem(_dir["a/z.crt"], TestCertificates.Healthy("z.example"));

        var deep = await CliRun.RunAsync("scan", Path.Combine(_dir.Path, "a", "**", "*.pem"), "--format", "json");
        var shallow = await CliRun.RunAsync("scan", Path.Combine(_dir.Path, "a", "*.pem"), "--format", "json");

        Assert.True(deep.ExitCode == 0, deep.ToString());
        Assert.Equal(["CN=x.example", "CN=y.example"], Subjects(deep));
        Assert.Equal(["CN=x.example"], Subjects(shallow));
    }

    [Fact]
    public async Task A_glob_matching_nothing_is_reported_as_an_error()
    {
        var run = await CliRun.RunAsync("scan", Path.Combine(_dir.Path, "*.nothing"), "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var error = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("NotFound", error.GetProperty("reason").GetString());
        Assert.Contains("no file matches", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_file_is_a_load_error_not_a_crash()
    {
        var run = await CliRun.RunAsync("scan", _dir["missing.pem"], "--format", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var error = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(_dir["missing.pem"], error.GetProperty("source").GetString());
        Assert.Equal("NotFound", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Relative_targets_stay_relative_in_the_report()
    {
        TestCertificates.WritePem(_dir["repo/certs/site.pem"], TestCertificates.Healthy());

        var run = await CliRun.RunInAsync(_dir["repo"], "scan", "certs", "--format", "json");

        using var json = JsonDocument.Parse(run.Out);
        var source = Assert.Single(json.RootElement.GetProperty("certificates").EnumerateArray()).GetProperty("source").GetString();
        Assert.Equal(Path.Combine("certs", "site.pem"), source);
    }

    [Fact]
    public async Task An_empty_store_gives_a_clean_result_or_a_clear_error()
    {
        var run = await CliRun.RunAsync("scan", "store:CurrentUser/My", "--format", "json");

        using var json = JsonDocument.Parse(run.Out);
        var certificates = json.RootElement.GetProperty("certificates").GetArrayLength();
        var errors = json.RootElement.GetProperty("errors").EnumerateArray().ToList();
        if (errors.Count == 0)
        {
            Assert.True(run.ExitCode == 0 || certificates > 0, run.ToString());
        }
        else
        {
            Assert.Equal("store:CurrentUser/My", Assert.Single(errors).GetProperty("source").GetString());
            Assert.Equal(1, run.ExitCode);
        }
    }

    [Theory]
    [InlineData("store:Nowhere/My")]
    [InlineData("store:CurrentUser")]
    [InlineData("store:CurrentUser/")]
    public async Task A_malformed_store_target_is_a_usage_error(string target)
    {
        var run = await CliRun.RunAsync("scan", target);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("store:CurrentUser/", run.Error);
    }

    [Fact]
    public async Task Every_certificate_in_a_bundle_is_its_own_entry()
    {
        TestCertificates.WritePem(_dir["chain.pem"], TestCertificates.Healthy("one.example"), TestCertificates.Healthy("two.example"), TestCertificates.Expired("three.example"));

        var run = await CliRun.RunAsync("scan", _dir["chain.pem"], "--format", "json");

        using var json = JsonDocument.Parse(run.Out);
        var sources = json.RootElement.GetProperty("certificates").EnumerateArray().Select(c => c.GetProperty("source").GetString()).ToList();
        Assert.Equal([_dir["chain.pem"] + "#1", _dir["chain.pem"] + "#2", _dir["chain.pem"] + "#3"], sources);
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public async Task Output_option_writes_the_report_to_a_file()
    {
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());

        var run = await CliRun.RunAsync("scan", _dir["c.pem"], "--format", "json", "--output", _dir["report.json"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Out);
        using var json = JsonDocument.Parse(File.ReadAllText(_dir["report.json"]));
        Assert.Equal(1, json.RootElement.GetProperty("certificates").GetArrayLength());
    }

    [Fact]
    public async Task An_unwritable_output_is_reported()
    {
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());

        var run = await CliRun.RunAsync("scan", _dir["c.pem"], "--output", _dir["no/such/dir/report.txt"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cannot write the report", run.Error);
    }

    [Fact]
    public async Task Custom_trust_evaluates_chains_and_system_trust_rejects_a_self_signed_leaf()
    {
        var leaf = TestCertificates.Healthy("internal.example");
        TestCertificates.WritePem(_dir["leaf.pem"], leaf);
        TestCertificates.WritePem(_dir["roots.pem"], leaf);

        var untrusted = await CliRun.RunAsync("scan", _dir["leaf.pem"], "--system-trust", "--format", "json");
        var trusted = await CliRun.RunAsync("scan", _dir["leaf.pem"], "--trust", _dir["roots.pem"], "--format", "json");
        var both = await CliRun.RunAsync("scan", _dir["leaf.pem"], "--trust", _dir["roots.pem"], "--system-trust");
        var badTrust = await CliRun.RunAsync("scan", _dir["leaf.pem"], "--trust", _dir["missing-roots.pem"]);

        Assert.True(untrusted.ExitCode == 1, untrusted.ToString());
        Assert.Contains("untrusted-chain", untrusted.Out);
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.DoesNotContain("untrusted-chain", trusted.Out);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(2, badTrust.ExitCode);
        Assert.Contains("--trust", badTrust.Error);
    }

    [Fact]
    public async Task Revocation_without_a_checker_says_it_is_ignored()
    {
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exitCode = await new CliApplication(revocationChecker: null).RunAsync(["scan", _dir["c.pem"], "--revocation", "online"], new CliConsole(stdout, stderr));

        Assert.Equal(0, exitCode);
        Assert.Contains("revocation checking is not available", stderr.ToString());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("off", null)]
    [InlineData("online", RevocationCheckMode.Online)]
    [InlineData("offline", RevocationCheckMode.Offline)]
    public async Task Revocation_option_reaches_the_checker_and_a_revoked_certificate_fails(string? option, RevocationCheckMode? expected)
    {
        TestCertificates.WritePem(_dir["c.pem"], TestCertificates.Healthy());
        var checker = new RecordingRevocationChecker();
        var stdout = new StringWriter();
        string[] args = option is null ? ["scan", _dir["c.pem"], "--format", "json"] : ["scan", _dir["c.pem"], "--format", "json", "--revocation", option];

        var exitCode = await new CliApplication(checker).RunAsync(args, new CliConsole(stdout, new StringWriter()));

        if (expected is null)
        {
            // Files default to no revocation check.
            Assert.Empty(checker.Modes);
            Assert.Equal(0, exitCode);
        }
        else
        {
            Assert.Equal([expected.Value], checker.Modes);
            Assert.Equal(1, exitCode);
            Assert.Contains("\"revoked\"", stdout.ToString());
        }
    }

    private sealed class RecordingRevocationChecker : IRevocationChecker
    {
        public List<RevocationCheckMode> Modes { get; } = [];

        public ValueTask<RevocationFacts?> CheckAsync(LoadedCertificate certificate, CertificateFacts facts, RevocationCheckMode mode, CancellationToken cancellationToken)
        {
            lock (Modes)
            {
                Modes.Add(mode);
            }

            return ValueTask.FromResult<RevocationFacts?>(new RevocationFacts { Status = RevocationStatus.Revoked, Source = "ocsp:test" });
        }
    }

    private static List<string?> Subjects(CliRun run)
    {
        using var json = JsonDocument.Parse(run.Out);
        return json.RootElement.GetProperty("certificates").EnumerateArray().Select(c => c.GetProperty("subject").GetString()).Order().ToList();
    }
}
