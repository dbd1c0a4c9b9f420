using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using CertGuard.AspNetCore.Reload;
using CertGuard.Cli;
using CertGuard.DependencyInjection;
using CertGuard.Loading;
using CertGuard.Monitoring;
using CertGuard.Sources;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CertGuard.SecretsTests;

/// <summary>
/// Every output CertGuard has, driven with the passwords and private keys of <see cref="SecretInputs"/> and searched
/// by one <see cref="SecretOracle"/> for every form of every secret: logs at Trace (message, exception and
/// structured values), the sample's <c>/health</c>, <c>/health/details</c> and <c>/metrics</c>, the reloader's
/// refusals, the CLI in every format with passwords from a file and from the environment, and the
/// <see cref="object.ToString"/> and exceptions of the public types. Each test also checks that what it captured
/// really holds the failures it drove, so an empty capture cannot pass.
/// </summary>
public sealed class SecretsInOutputsTests(SecretInputs inputs, ITestOutputHelper log) : IClassFixture<SecretInputs>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_search_finds_each_form_of_a_planted_secret_and_nothing_in_public_data()
    {
        var oracle = new SecretOracle();
        var password = "Pw-planted-" + Guid.NewGuid().ToString("N");
        oracle.AddPassword("planted", password);
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        oracle.AddPrivateKey("planted rsa", rsa);
        oracle.AddPrivateKey("planted ec", ec);
        var rsaKey = rsa.ExportParameters(includePrivateParameters: true);
        var pkcs8Pem = rsa.ExportPkcs8PrivateKeyPem();
        var der = rsa.ExportPkcs8PrivateKey();

        var planted = new Dictionary<CapturedOutput, string>
        {
            [CapturedOutput.OfText("plain password", $"opened with {password}.")] = "password 'planted' as text",
            [CapturedOutput.OfText("upper-case password", password.ToUpperInvariant())] = "password 'planted' as text",
            [CapturedOutput.OfText("JSON-escaped password", "{\"p\":\"\\u0050" + password[1..] + "\"}")] = "password 'planted' as text",
            [CapturedOutput.OfText("HTML-escaped password", "<td>" + password.Replace("-", "&#45;", StringComparison.Ordinal) + "</td>")] = "password 'planted' as text",
            [CapturedOutput.OfText("base64 password", Convert.ToBase64String(Encoding.UTF8.GetBytes(password)))] = "password 'planted' as base64 of UTF-8",
            [CapturedOutput.OfBytes("UTF-16 password", Encoding.Unicode.GetBytes("x" + password))] = "password 'planted' as UTF-16 bytes",
            [CapturedOutput.OfText("one PEM line", "key: " + pkcs8Pem.Split('\n')[10])] = "private key 'planted rsa' as a PEM line of the PKCS#8 DER",
            [CapturedOutput.OfText("PKCS#8 hex", Convert.ToHexStringLower(der))] = "private key 'planted rsa' as hex of the PKCS#8 DER",
            [CapturedOutput.OfBytes("raw PKCS#8 inside binary", [1, 2, 3, .. der, 4])] = "private key 'planted rsa' as raw PKCS#8 DER",
            [CapturedOutput.OfText("hex fragment of d at an odd offset", "0x" + Convert.ToHexStringLower(rsaKey.D.AsSpan(7, 20)))] = "the private exponent of private key 'planted rsa' as hex of 18 bytes",
            [CapturedOutput.OfText("base64 fragment of p, unaligned", Convert.ToBase64String([0x30, .. rsaKey.P.AsSpan(5, 25)]))] = "the prime p of private key 'planted rsa' as base64 of 18 bytes",
            [CapturedOutput.OfBytes("raw fragment of q", [9, .. rsaKey.Q.AsSpan(40, 19), 9])] = "the prime q of private key 'planted rsa' as 18 raw bytes",
            [CapturedOutput.OfText("decimal dq", new System.Numerics.BigInteger(rsaKey.DQ, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture))] = "the exponent dq of private key 'planted rsa' as decimal",
            [CapturedOutput.OfText("EC scalar hex", Convert.ToHexString(ec.ExportParameters(true).D!))] = "the private scalar of private key 'planted ec' as hex",
        };

        foreach (var (output, expected) in planted)
        {
            var hits = oracle.Search(output);
            Assert.True(hits.Count > 0, $"the planted secret in '{output.Name}' was not found");
            Assert.Contains(hits, h => $"{h.Secret} as {h.Form}" == expected);

            // A failure names the output and the secret but never prints the secret in full.
            Assert.All(hits, h => Assert.DoesNotContain(h.Found, h.ToString(), StringComparison.Ordinal));
            Assert.All(hits, h => Assert.StartsWith($"{output.Name}: ", h.ToString(), StringComparison.Ordinal));
        }

        // Public data is no secret: the certificate (which holds the public key) in every form draws no hit.
        using var certificate = new CertificateRequest("CN=public.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        var publicOutputs = new[]
        {
            CapturedOutput.OfText("certificate PEM", certificate.ExportCertificatePem()),
            CapturedOutput.OfText("certificate hex", Convert.ToHexString(certificate.RawData)),
            CapturedOutput.OfText("certificate text", certificate.ToString(verbose: true)),
            CapturedOutput.OfText("public key PEM", rsa.ExportSubjectPublicKeyInfoPem() + ec.ExportSubjectPublicKeyInfoPem()),
            CapturedOutput.OfText("modulus", Convert.ToHexString(rsaKey.Modulus!) + Convert.ToBase64String(rsaKey.Modulus!)),
            CapturedOutput.OfBytes("certificate DER", certificate.RawData),
        };
        Assert.Empty(publicOutputs.SelectMany(oracle.Search));
    }

    [Fact]
    public void The_oracle_knows_the_secrets_of_the_minted_inputs()
    {
        var oracle = inputs.Oracle;

        // 11 passwords and 16 private keys, each in many forms.
        Assert.Equal(11 + 16, oracle.SecretCount);
        Assert.True(oracle.FormCount > 300, $"{oracle.FormCount} forms");

        // Files that hold a key in the clear are hits; files that hold it encrypted are not.
        Assert.Contains(oracle.Search(Read("plain-key.pem")), h => h.Secret == "private key 'plain-key.pem'");
        Assert.Contains(oracle.Search(Read("key-only.der")), h => h.Secret == "private key 'rsa.pfx'" && h.Form == "raw PKCS#8 DER");
        Assert.Contains(oracle.Search(Read("key-base64.crt")), h => h.Secret == "private key 'rsa.pfx'");
        Assert.Contains(oracle.Search(Read("rsa-traditional-key-only.pem")), h => h.Secret == "private key 'encrypted-key.pem'");
        Assert.Contains(oracle.Search(CapturedOutput.OfText("a log line", "tried " + inputs.JksPassword)), h => h.Secret == "password 'keystore.jks'");
        Assert.Empty(oracle.Search(Read("encrypted-key.pem")));
        Assert.Empty(oracle.Search(Read("rsa.pfx")));
        Assert.Empty(oracle.Search(Read("keystore.jks")));

        CapturedOutput Read(string file) => CapturedOutput.OfBytes(file, File.ReadAllBytes(inputs[file]));
    }

    [Fact]
    public async Task The_monitor_at_trace_the_health_endpoints_metrics_and_reloader_hold_no_secret()
    {
        var recorder = new RecordingLoggerProvider();
        var variable = "CERTGUARD_SECRETS_TEST_" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable(variable, inputs.EcPfxPassword);
        var outputs = new List<CapturedOutput>();
        try
        {
            using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                // Settings, not app configuration: the sample reads Kestrel:Certificates:Default before it builds the app.
                foreach (var (key, value) in SampleSettings(variable))
                {
                    builder.UseSetting(key, value);
                }

                builder.ConfigureLogging(logging =>
                {
                    logging.AddProvider(recorder);

                    // A provider-specific rule beats the sample's appsettings.json levels: this sink sees everything.
                    logging.AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace);
                });
            });
            using var client = factory.CreateClient();
            var monitor = factory.Services.GetRequiredService<CertificateMonitor>();
            await monitor.FirstRefresh.WaitAsync(HangGuard);

            // The reloader refuses three bad replacements of the certificate it serves: another password, expired, corrupt.
            var reloader = factory.Services.GetRequiredService<ServerCertificateReloader>();
            foreach (var replacement in new[] { inputs.ServerWithOtherPassword, inputs.ServerExpired, inputs.ServerCorrupt })
            {
                // Replaced whole, as a deployment does, so the reloader's own watcher never reads a half-written file.
                var staged = inputs.Scratch("server.pfx.new");
                await File.WriteAllBytesAsync(staged, replacement);
                File.Move(staged, inputs.ServerPfxPath, overwrite: true);
                reloader.Refresh();
                outputs.AddRange(reloader.States.Select(s => CapturedOutput.OfText("ServerCertificateState.ToString()", s.ToString())));
            }

            var snapshot = await monitor.RefreshAsync().WaitAsync(HangGuard);
            outputs.Add(CapturedOutput.OfText("snapshot source states", string.Join("\n", snapshot.Sources.Select(s => s.ToString()))));
            outputs.Add(CapturedOutput.OfText("snapshot reports", string.Join("\n", snapshot.Reports.Select(r => $"{r} {r.Facts} {string.Join("; ", r.Findings)}"))));

            foreach (var path in new[] { "/health", "/health/details", "/alive", "/metrics", "/" })
            {
                using var response = await client.GetAsync(path);
                outputs.Add(CapturedOutput.OfBytes($"GET {path} ({(int)response.StatusCode})", await response.Content.ReadAsByteArrayAsync()));
                outputs.Add(CapturedOutput.OfText($"GET {path} headers", response.ToString()));
            }

            AssertHealthDetailsShowEveryFailure(outputs.Single(o => o.Name.StartsWith("GET /health/details (", StringComparison.Ordinal)).Text);
            Assert.Contains(outputs, o => o.Name.StartsWith("GET /metrics (", StringComparison.Ordinal) && o.Text.Contains("x509_", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        // Stopped: the logs now include shutdown too.
        var logs = recorder.Records;
        outputs.AddRange(logs.Select((log, i) => CapturedOutput.OfText($"log #{i} {log.Category} {log.EventId}", log.Text)));

        Assert.Contains(logs, l => l.Level == LogLevel.Trace);
        Assert.Contains(logs, l => l.Level == LogLevel.Debug && l.Category.StartsWith("CertGuard", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Category.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal) && l.Level == LogLevel.Debug);
        foreach (var reason in new[] { nameof(LoadErrorReason.PasswordRequired), nameof(LoadErrorReason.WrongPassword), nameof(LoadErrorReason.Corrupt), nameof(LoadErrorReason.KeyMismatch) })
        {
            Assert.Contains(logs, l => l.Category.StartsWith("CertGuard", StringComparison.Ordinal) && l.Text.Contains(reason, StringComparison.Ordinal));
        }

        // One refusal per replacement, whether the reloader's watcher or the explicit refresh read it first.
        var refusals = logs.Where(l => l.EventId.Id == 6102).Select(l => l.Message).ToList();
        foreach (var reason in new[] { "(wrong-password)", "(expired)", "(unreadable)" })
        {
            Assert.True(refusals.Any(r => r.Contains(reason, StringComparison.Ordinal)), $"no {reason} refusal among:\n{string.Join("\n", refusals)}");
        }

        AssertNoSecrets(outputs);
    }

    [Fact]
    public async Task The_cli_in_every_format_with_passwords_from_a_file_or_the_environment_holds_no_secret()
    {
        var passwordFile = inputs.Scratch("passwords.txt");
        await File.WriteAllLinesAsync(passwordFile, inputs.PasswordFileLines);
        var outputs = new List<CapturedOutput>();

        async Task<(int ExitCode, string Out, string Error)> Run(string label, params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exitCode = await CliApplication.RunAsync(args, stdout, stderr).WaitAsync(HangGuard);
            outputs.Add(CapturedOutput.OfText($"certguard {label}: stdout", stdout.ToString()));
            outputs.Add(CapturedOutput.OfText($"certguard {label}: stderr", stderr.ToString()));
            return (exitCode, stdout.ToString(), stderr.ToString());
        }

        foreach (var format in new[] { "table", "json", "csv", "markdown", "sarif", "html" })
        {
            var (exitCode, output, _) = await Run($"--format {format}", "scan", inputs.FilesDirectory, "--password-file", passwordFile, "--format", format);

            // Load errors fail the scan (1), which is not a usage error (2) or a crash (70).
            Assert.True(exitCode == 1, $"{format}: exit {exitCode}");
            Assert.Contains("rsa-pfx.secrets.test", output, StringComparison.Ordinal);
            Assert.Contains("jks.secrets.test", output, StringComparison.Ordinal);

            var file = inputs.Scratch($"report.{format}");
            await Run($"--format {format} --output", "scan", inputs.FilesDirectory, "--password-file", passwordFile, "--format", format, "--output", file, "--quiet");
            outputs.Add(CapturedOutput.OfBytes($"report file ({format})", await File.ReadAllBytesAsync(file)));
        }

        using (var report = JsonDocument.Parse(outputs.Single(o => o.Name == "report file (json)").Bytes))
        {
            AssertCliReportShowsEveryFile(report.RootElement);
        }

        var variable = "CERTGUARD_SECRETS_TEST_" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable(variable, inputs.EcPfxPassword);
        try
        {
            var (exitCode, output, _) = await Run("--password-env", "scan", inputs["ec.pfx"], inputs["protected.pfx"], "--password-env", variable, "--format", "json");
            Assert.Equal(1, exitCode);
            Assert.Contains("ec-pfx.secrets.test", output, StringComparison.Ordinal);
            Assert.Contains(nameof(LoadErrorReason.WrongPassword), output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        var (_, withoutPasswords, _) = await Run("without passwords", "scan", inputs.FilesDirectory, "--format", "json");
        Assert.Contains(nameof(LoadErrorReason.PasswordRequired), withoutPasswords, StringComparison.Ordinal);
        var (_, csv, csvErrors) = await Run("a glob", "scan", Path.Combine(inputs.FilesDirectory, "*.pfx"), "--password-file", passwordFile, "--format", "csv");
        Assert.Contains("rsa-pfx.secrets.test", csv, StringComparison.Ordinal);
        Assert.Contains("WrongPassword", csvErrors, StringComparison.Ordinal);
        var (mistakenVariable, _, _) = await Run("--password-env given the password itself", "scan", inputs["ec.pfx"], "--password-env", inputs.JksPassword);
        Assert.Equal(2, mistakenVariable);
        var (usageError, _, _) = await Run("a missing password file", "scan", inputs.FilesDirectory, "--password-file", inputs.Scratch("missing.txt"));
        Assert.Equal(2, usageError);

        AssertNoSecrets(outputs);
    }

    [Fact]
    public async Task ToString_of_every_type_and_every_exception_holds_no_secret()
    {
        var outputs = new List<CapturedOutput>();
        void Add(string name, object? value) => outputs.Add(CapturedOutput.OfText(name, value?.ToString()));
        var everyPassword = new CertificateLoadOptions { Passwords = [.. inputs.PasswordFileLines] };
        Add("CertificateLoadOptions.ToString()", everyPassword);
        Add("CertificateLoadOptions.ToString() with a key file", new CertificateLoadOptions { Passwords = [inputs.PemKeyPassword], KeyPath = inputs["mismatched-key.pem"] });

        var sourceOptions = new CertificateSourceOptions { Path = inputs["rsa.pfx"], Password = inputs.RsaPfxPassword, Name = "rsa" };
        Add("CertificateSourceOptions.ToString()", sourceOptions);

        var reasons = new HashSet<LoadErrorReason>();
        var scanner = new CertificateScanner();
        foreach (var file in Directory.GetFiles(inputs.FilesDirectory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var options = name == "site.crt" ? new CertificateLoadOptions { Passwords = everyPassword.Passwords, KeyPath = inputs["mismatched-key.pem"] } : everyPassword;
            foreach (var (label, loadOptions) in new[] { ("every password", options), ("no password", new CertificateLoadOptions { KeyPath = options.KeyPath }) })
            {
                using (var result = CertificateLoader.LoadFile(file, loadOptions))
                {
                    Add($"{name} ({label}): CertificateLoadResult", result);
                    Add($"{name} ({label}): LoadErrors", string.Join("\n", result.Errors));
                    Add($"{name} ({label}): LoadedCertificates", string.Join("\n", result.Certificates.Select(c => $"{c} {c.Certificate} {c.Certificate.ToString(verbose: true)} {c.PrivateKeyProtection}")));
                    reasons.UnionWith(result.Errors.Select(e => e.Reason));
                    if (result.Errors.Count > 0)
                    {
                        Add($"{name} ({label}): CertificateLoadException", new CertificateLoadException(result.Errors[0]));
                    }
                }

                var source = new FileCertificateSource(file, loadOptions, name);
                var scan = await scanner.ScanAsync(source, CancellationToken.None).WaitAsync(HangGuard);
                Add($"{name} ({label}): source", source);
                Add($"{name} ({label}): SourceScan", scan);
                Add($"{name} ({label}): reports", string.Join("\n", scan.Reports.Select(r => $"{r}\n{r.Facts}\n{string.Join("\n", r.Findings)}")));
                Add($"{name} ({label}): errors", string.Join("\n", scan.Errors));
            }
        }

        Assert.Superset(
            new HashSet<LoadErrorReason> { LoadErrorReason.PasswordRequired, LoadErrorReason.WrongPassword, LoadErrorReason.Corrupt, LoadErrorReason.KeyMismatch, LoadErrorReason.NoCertificate, LoadErrorReason.UnrecognizedFormat },
            reasons);

        // Public APIs given bad input: the reloader refuses files it cannot serve, with the password in hand.
        using (var reloader = new ServerCertificateReloader())
        {
            var refusals = new (string Path, string? KeyPath, string? Password)[]
            {
                (inputs["wrong-password.pfx"], null, inputs.WrongCandidate),
                (inputs["protected.pfx"], null, null),
                (inputs["corrupt.pfx"], null, inputs.CorruptPfxPassword),
                (inputs["site.crt"], inputs["mismatched-key.pem"], inputs.PemKeyPassword),
                (inputs["encrypted-key.pem"], null, inputs.WrongCandidate),
                (inputs["key-only.der"], null, inputs.RsaPfxPassword),
                (inputs["wrong-password.jks"], null, inputs.WrongPasswordJksPassword),
            };
            foreach (var (path, keyPath, password) in refusals)
            {
                var exception = Record.Exception(() => reloader.Add(path, keyPath, password));
                Assert.True(exception is not null, $"the reloader served {Path.GetFileName(path)}");
                Add($"ServerCertificateReloader.Add({Path.GetFileName(path)}): exception", exception);
                Add($"ServerCertificateReloader.Add({Path.GetFileName(path)}): message", exception.Message);
            }

            var served = reloader.Add(inputs["encrypted-key.pem"], null, inputs.PemKeyPassword);
            Add("ServerCertificateState.ToString()", served);
            Assert.Contains("encrypted-key.secrets.test", served.ServingSubject, StringComparison.Ordinal);
        }

        // Configuration that cannot start, with passwords in it: the validation messages name settings, not secrets.
        var variable = "CERTGUARD_SECRETS_TEST_" + Guid.NewGuid().ToString("N")[..8];
        var invalid = new Dictionary<string, string?>
        {
            ["CertGuard:Certificates:0:Endpoint"] = "127.0.0.1:1",
            ["CertGuard:Certificates:0:Password"] = inputs.RsaPfxPassword,
            ["CertGuard:Certificates:1:Path"] = inputs["rsa.pfx"],
            ["CertGuard:Certificates:1:Password"] = inputs.EcPfxPassword,
            ["CertGuard:Certificates:1:PasswordEnvironmentVariable"] = variable,
            ["CertGuard:Certificates:2:Path"] = inputs["ec.pfx"],
            ["CertGuard:Certificates:2:PasswordEnvironmentVariable"] = inputs.JksPassword,
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(invalid);
        var recorder = new RecordingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(recorder).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddHealthChecks().AddCertGuard(builder.Configuration.GetSection("CertGuard"));
        using var host = builder.Build();
        var startFailure = await Record.ExceptionAsync(() => host.StartAsync().WaitAsync(HangGuard));
        Assert.NotNull(startFailure);
        Assert.Contains("CertGuard:Certificates:1 has both Password and PasswordEnvironmentVariable", startFailure.Message, StringComparison.Ordinal);
        Add("invalid configuration: exception", startFailure);
        Assert.Contains(recorder.Records, r => r.Exception?.Contains("has both Password and PasswordEnvironmentVariable", StringComparison.Ordinal) == true);
        outputs.AddRange(recorder.Records.Select((r, i) => CapturedOutput.OfText($"invalid configuration: log #{i} {r.Category}", r.Text)));

        AssertNoSecrets(outputs);
    }

    private void AssertNoSecrets(IReadOnlyCollection<CapturedOutput> outputs)
    {
        Assert.True(outputs.Sum(o => o.Bytes.Length) > 10_000, $"only {outputs.Sum(o => o.Bytes.Length)} bytes of output were captured");
        var hits = outputs.SelectMany(inputs.Oracle.Search).ToList();
        log.WriteLine($"searched {outputs.Count} outputs ({outputs.Sum(o => o.Bytes.Length):N0} bytes) for {inputs.Oracle.SecretCount} secrets in {inputs.Oracle.FormCount} exact forms and {inputs.Oracle.FragmentCount:N0} fragments: {hits.Count} hits");
        Assert.True(hits.Count == 0, $"{hits.Count} secret(s) found in {outputs.Count} outputs:\n{string.Join("\n", hits)}");
    }

    private Dictionary<string, string?> SampleSettings(string passwordVariable)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CertGuard:RefreshInterval"] = "00:10:00",
            ["Kestrel:Certificates:Default:Path"] = inputs.ServerPfxPath,
            ["Kestrel:Certificates:Default:Password"] = inputs.ServerPassword,
            ["Kestrel:Endpoints:Secure:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Secure:Certificate:Path"] = inputs["protected.pfx"],
            ["Kestrel:Endpoints:Secure:Certificate:Password"] = inputs.ProtectedPfxPassword,
        };
        var entries = new (string Name, string Path, string? Password, string? Variable, string? KeyPath)[]
        {
            ("rsa", "rsa.pfx", inputs.RsaPfxPassword, null, null),
            ("ec", "ec.pfx", null, passwordVariable, null),
            ("protected", "protected.pfx", null, null, null),
            ("wrong-password", "wrong-password.pfx", inputs.WrongCandidate, null, null),
            ("corrupt", "corrupt.pfx", inputs.CorruptPfxPassword, null, null),
            ("encrypted-key", "encrypted-key.pem", inputs.PemKeyPassword, null, null),
            ("plain-key", "plain-key.pem", null, null, null),
            ("expired", "expired-with-key.pem", null, null, null),
            ("mismatched-key", "site.crt", inputs.WrongCandidate, null, "mismatched-key.pem"),
            ("jks", "keystore.jks", inputs.JksPassword, null, null),
            ("wrong-password-jks", "wrong-password.jks", inputs.WrongCandidate, null, null),
        };
        for (var i = 0; i < entries.Length; i++)
        {
            var (name, path, password, variable, keyPath) = entries[i];
            settings[$"CertGuard:Certificates:{i}:Name"] = name;
            settings[$"CertGuard:Certificates:{i}:Path"] = inputs[path];
            settings[$"CertGuard:Certificates:{i}:Password"] = password;
            settings[$"CertGuard:Certificates:{i}:PasswordEnvironmentVariable"] = variable;
            settings[$"CertGuard:Certificates:{i}:KeyPath"] = keyPath is null ? null : inputs[keyPath];
        }

        settings[$"CertGuard:Certificates:{entries.Length}:Name"] = "directory";
        settings[$"CertGuard:Certificates:{entries.Length}:Directory"] = inputs.FilesDirectory;
        settings[$"CertGuard:Certificates:{entries.Length}:Password"] = inputs.RsaPfxPassword;
        return settings;
    }

    private static void AssertHealthDetailsShowEveryFailure(string json)
    {
        using var details = JsonDocument.Parse(json);
        var checks = details.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("data"));
        var certGuard = checks["certguard"];
        var errors = certGuard.GetProperty("errors").EnumerateArray().Select(e => (Name: e.GetProperty("name").GetString(), Reason: e.GetProperty("reason").GetString())).ToList();
        foreach (var (name, reason) in new[]
        {
            ("protected", "PasswordRequired"), ("wrong-password", "WrongPassword"), ("corrupt", "Corrupt"),
            ("mismatched-key", "KeyMismatch"), ("wrong-password-jks", "WrongPassword"),
        })
        {
            Assert.True(errors.Contains((name, reason)), $"/health/details has no {reason} for '{name}':\n{json}");
        }

        var certificates = certGuard.GetProperty("certificates").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "rsa", "ec", "encrypted-key", "plain-key", "expired", "jks", "directory" }, certificates);

        // The reloader's file, now corrupt, is refused while the old certificate serves: reload-rejected on what is served.
        var kestrel = checks["kestrel-certificates"];
        var findings = kestrel.GetProperty("certificates").EnumerateArray().SelectMany(c => c.GetProperty("findings").EnumerateArray()).ToList();
        Assert.Contains(findings, f => f.GetProperty("id").GetString() == "reload-rejected" && f.GetProperty("message").GetString()!.Contains("server.pfx", StringComparison.Ordinal));
    }

    private static void AssertCliReportShowsEveryFile(JsonElement report)
    {
        var subjects = report.GetProperty("certificates").EnumerateArray().Select(c => c.GetProperty("subject").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["CN=ec-pfx.secrets.test", "CN=encrypted-key.secrets.test", "CN=expired.secrets.test", "CN=jks.secrets.test", "CN=plain-key.secrets.test", "CN=rsa-pfx.secrets.test", "CN=site.secrets.test"],
            subjects);

        var errors = report.GetProperty("errors").EnumerateArray()
            .Select(e => $"{Path.GetFileName(e.GetProperty("source").GetString())} {e.GetProperty("reason").GetString()}").Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "corrupt.pfx Corrupt", "encrypted-key-only.pem NoCertificate", "key-as-certificate.pem Corrupt", "key-base64.crt UnrecognizedFormat",
                "key-only.der UnrecognizedFormat", "key-only.p12 UnrecognizedFormat", "mismatched-key.pem NoCertificate", "protected.pfx WrongPassword",
                "rsa-traditional-key-only.pem NoCertificate", "wrong-password.jks WrongPassword", "wrong-password.pfx WrongPassword",
            ],
            errors);
    }
}
