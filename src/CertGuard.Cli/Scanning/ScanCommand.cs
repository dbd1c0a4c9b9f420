using System.CommandLine;
using System.CommandLine.Parsing;
using CertGuard.Cli.Owners;
using CertGuard.Cli.Reporting;
using CertGuard.Inspection;
using CertGuard.Loading;
using CertGuard.Policy;

namespace CertGuard.Cli.Scanning;

/// <summary><c>certguard scan &lt;target&gt;...</c>: the inventory and health audit.</summary>
internal sealed class ScanCommand : Command
{
    private readonly Argument<string[]> _targets = new("target")
    {
        Description = "Files, directories (searched recursively), globs, TLS endpoints (host:port, [v6]:port, tls://host:port) or stores (store:CurrentUser/My).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<ReportFormat> _format = new("--format", "-f")
    {
        Description = "The report format.",
        DefaultValueFactory = _ => ReportFormat.Table,
        CustomParser = ParseFormat,
    };

    private readonly Option<FileInfo?> _output = new("--output", "-o") { Description = "Write the report to this file instead of standard output." };
    private readonly Option<FileInfo?> _passwordFile = new("--password-file") { Description = "A file of candidate passwords for PFX and keystores, one per line." };
    private readonly Option<string?> _passwordEnv = new("--password-env") { Description = "The name of an environment variable holding a password." };
    private readonly Option<FileInfo?> _trust = new("--trust") { Description = "A file of root certificates to evaluate chains against (files, stores and endpoints)." };
    private readonly Option<bool> _systemTrust = new("--system-trust") { Description = "Evaluate the chains of files and stores against the system's roots (endpoints always are)." };
    private readonly Option<string?> _sni = new("--sni") { Description = "The server name to send to TLS endpoints (default: the host)." };

    private readonly Option<ExpiryThreshold[]> _degradedBefore = new("--degraded-before")
    {
        Description = "Degraded this long before expiry: days (30, 30d) or a fraction of the lifetime (33%). Give both to use the shorter. Default 30d and 33%.",
        CustomParser = ParseThresholds,
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<ExpiryThreshold[]> _unhealthyBefore = new("--unhealthy-before")
    {
        Description = "Unhealthy this long before expiry: days or a fraction of the lifetime. Default 0 (only once expired).",
        CustomParser = ParseThresholds,
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<int?> _maxValidity = new("--max-validity") { Description = "Leaf certificates valid for longer than this many days draw long-validity. Default 398." };
    private readonly Option<TimeSpan?> _clockSkew = new("--clock-skew")
    {
        Description = "How far this host's clock may lag a CA's: a certificate valid within this is a warning, not unhealthy. Seconds (90, 90s), minutes (5m) or hours (1h); 0 for none. Default 5m.",
        CustomParser = ParseClockSkew,
    };

    private readonly Option<FileInfo?> _owners = new("--owners") { Description = "A JSON or YAML map from path globs or host patterns to owners; the first match wins." };

    private readonly Option<FailOn> _failOn = new("--fail-on")
    {
        Description = "Exit with 1 when a certificate is at or above this status (a load error counts as unhealthy).",
        DefaultValueFactory = _ => FailOn.Unhealthy,
        CustomParser = ParseFailOn,
    };

    private readonly Option<int> _concurrency = new("--concurrency") { Description = "How many sources to scan at once.", DefaultValueFactory = _ => Math.Max(4, Environment.ProcessorCount) };
    private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds one source may take before it is reported as timed out.", DefaultValueFactory = _ => 30 };

    private readonly Option<RevocationCheckMode?> _revocation = new("--revocation")
    {
        Description = "Revocation checking: online, offline (cached CRLs/OCSP only) or off. Default: off for files and stores, online for endpoints.",
        CustomParser = ParseRevocation,
    };

    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "No progress on standard error." };

    // A password file is a handful of lines; a megabyte is thousands of candidates, each a key derivation.
    private const int MaxPasswordFileBytes = 1024 * 1024;

    // A hundred years, as for --degraded-before; a TimeSpan cannot hold much more than 10 million days.
    private const int MaxValidityDays = 36_500;

    private readonly CliConsole _console;
    private readonly InventoryScanner _scanner;

    public ScanCommand(CliConsole console, IRevocationChecker? revocationChecker, TimeProvider timeProvider)
        : base("scan", "Find certificates and report their owner, expiry, key, hash algorithm and health.")
    {
        _console = console;
        _scanner = new InventoryScanner(revocationChecker, timeProvider);
        _targets.Validators.Add(RejectUnknownOptions);
        Arguments.Add(_targets);
        Validators.Add(command =>
        {
            if (command.GetResult(_targets) is not { Tokens.Count: > 0 })
            {
                command.AddError("at least one target is required: a file, directory, glob, host:port or store:Location/Name.");
            }
        });
        foreach (var option in new Option[]
        {
            _format, _output, _passwordFile, _passwordEnv, _trust, _systemTrust, _sni, _degradedBefore, _unhealthyBefore,
            _maxValidity, _clockSkew, _owners, _failOn, _concurrency, _timeout, _revocation, _quiet,
        })
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        ScanSettings settings;
        try
        {
            settings = ReadSettings(parsed);
        }
        catch (UsageException ex)
        {
            await _console.WriteErrorLineAsync($"certguard: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        Inventory inventory;
        try
        {
            inventory = await _scanner.ScanAsync(settings, _console, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await _console.WriteErrorLineAsync($"certguard: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        try
        {
            await ReportOutput.WriteAsync(inventory, settings, _console, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await _console.WriteErrorLineAsync($"certguard: cannot write the report to '{settings.OutputPath}' ({ex.Message.TrimEnd('.')})").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        return inventory.Fails(settings.FailOn) ? ExitCodes.Failed : ExitCodes.Success;
    }

    private ScanSettings ReadSettings(ParseResult parsed)
    {
        var concurrency = parsed.GetValue(_concurrency);
        if (concurrency < 1)
        {
            throw new UsageException($"--concurrency must be at least 1 (was {concurrency}).");
        }

        var timeout = parsed.GetValue(_timeout);
        if (!(timeout > 0 && timeout <= 86_400))
        {
            throw new UsageException($"--timeout must be a number of seconds between 0 and 86400 (was {timeout}).");
        }

        var customRoots = parsed.GetValue(_trust) is { } trustFile ? ReadTrust(trustFile) : null;
        var systemTrust = parsed.GetValue(_systemTrust);
        if (customRoots is not null && systemTrust)
        {
            throw new UsageException("--trust and --system-trust cannot be used together: choose custom roots or the system's.");
        }

        return new ScanSettings
        {
            Targets = parsed.GetValue(_targets) ?? [],
            ServerName = parsed.GetValue(_sni),
            Format = parsed.GetValue(_format),
            OutputPath = parsed.GetValue(_output)?.ToString(),
            LoadOptions = new CertificateLoadOptions { Passwords = ReadPasswords(parsed) },
            FileTrust = customRoots ?? (systemTrust ? ChainTrust.System : null),
            EndpointTrust = customRoots ?? ChainTrust.System,
            Policy = ReadPolicy(parsed),
            Owners = parsed.GetValue(_owners) is { } ownersFile ? OwnerMap.Load(ownersFile.ToString()) : OwnerMap.Empty,
            FailOn = parsed.GetValue(_failOn),
            Concurrency = concurrency,
            Timeout = TimeSpan.FromSeconds(timeout),
            Revocation = parsed.GetValue(_revocation),
            Quiet = parsed.GetValue(_quiet),
        };
    }

    private static ChainTrust ReadTrust(FileInfo trustFile)
    {
        OptionFile.EnsureRegular("--trust", trustFile.ToString());
        return TrustFile.Read(trustFile.FullName, trustFile.ToString());
    }

    private List<string> ReadPasswords(ParseResult parsed)
    {
        var passwords = new List<string>();
        if (parsed.GetValue(_passwordFile) is { } file)
        {
            using var lines = new StringReader(OptionFile.ReadText("--password-file", file.ToString(), MaxPasswordFileBytes));
            while (lines.ReadLine() is { } line)
            {
                passwords.Add(line);
            }
        }

        if (parsed.GetValue(_passwordEnv) is { } variable)
        {
            // A password typed here by mistake must not be echoed: repeat only what looks like a variable name.
            passwords.Add(Environment.GetEnvironmentVariable(variable)
                ?? throw new UsageException(variable.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
                    ? $"--password-env: the environment variable '{variable}' is not set."
                    : "--password-env: the environment variable is not set (its name is not repeated: it is not an upper-case variable name, so it may be a password given by mistake)."));
        }

        return passwords;
    }

    private CertificatePolicyOptions ReadPolicy(ParseResult parsed)
    {
        var policy = new CertificatePolicyOptions();
        foreach (var threshold in parsed.GetValue(_degradedBefore) ?? [])
        {
            policy.DegradedBefore = threshold.Days ?? policy.DegradedBefore;
            policy.DegradedLifetimeFraction = threshold.LifetimeFraction ?? policy.DegradedLifetimeFraction;
        }

        foreach (var threshold in parsed.GetValue(_unhealthyBefore) ?? [])
        {
            policy.UnhealthyBefore = threshold.Days ?? policy.UnhealthyBefore;
            policy.UnhealthyLifetimeFraction = threshold.LifetimeFraction ?? policy.UnhealthyLifetimeFraction;
        }

        // An unhealthy window wider than the degraded one would skip Degraded; widen the degraded window to match.
        if (policy.UnhealthyBefore > policy.DegradedBefore)
        {
            if (parsed.GetResult(_degradedBefore) is not null)
            {
                throw new UsageException($"--unhealthy-before ({policy.UnhealthyBefore.TotalDays:0.#} days) must not be longer than --degraded-before ({policy.DegradedBefore.TotalDays:0.#} days).");
            }

            policy.DegradedBefore = policy.UnhealthyBefore;
        }

        if (parsed.GetValue(_maxValidity) is { } maxValidity)
        {
            if (maxValidity is < 1 or > MaxValidityDays)
            {
                throw new UsageException($"--max-validity must be a number of days from 1 to {MaxValidityDays} (was {maxValidity}).");
            }

            policy.MaximumValidity = TimeSpan.FromDays(maxValidity);
        }

        policy.ClockSkewTolerance = parsed.GetValue(_clockSkew) ?? policy.ClockSkewTolerance;
        var problems = policy.Validate();
        return problems.Count == 0 ? policy : throw new UsageException(string.Join(" ", problems));
    }

    private static void RejectUnknownOptions(ArgumentResult result)
    {
        // Targets take any text, so an unknown option would otherwise be scanned as a file name; ./-name scans such a file.
        foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-') && t.Value.Length > 1))
        {
            result.AddError($"unknown option '{token.Value}'.");
        }
    }

    private static ReportFormat ParseFormat(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "table" : result.Tokens[^1].Value;
        if (ReportFormats.TryParse(text, out var format))
        {
            return format;
        }

        result.AddError($"--format '{text}' is not one of: {string.Join(", ", ReportFormats.Names)}.");
        return default;
    }

    private static FailOn ParseFailOn(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "unhealthy" : result.Tokens[^1].Value;
        if (Enum.TryParse<FailOn>(text, ignoreCase: true, out var failOn) && Enum.IsDefined(failOn) && !int.TryParse(text, out _))
        {
            return failOn;
        }

        result.AddError($"--fail-on '{text}' is not one of: degraded, unhealthy, never.");
        return FailOn.Unhealthy;
    }

    private static RevocationCheckMode? ParseRevocation(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
        if (Enum.TryParse<RevocationCheckMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _))
        {
            return mode;
        }

        result.AddError($"--revocation '{text}' is not one of: online, offline, off.");
        return null;
    }

    private static TimeSpan? ParseClockSkew(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value.Trim();
        var (number, unit) = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? (text[..^1], char.ToLowerInvariant(text[^1])) : (text, 's');
        if (double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= 0 && value <= 86_400 && unit is 's' or 'm' or 'h')
        {
            var span = unit switch { 'h' => TimeSpan.FromHours(value), 'm' => TimeSpan.FromMinutes(value), _ => TimeSpan.FromSeconds(value) };
            if (span <= TimeSpan.FromDays(1))
            {
                return span;
            }
        }

        result.AddError($"--clock-skew '{text}' is not a duration of at most one day: seconds (90, 90s), minutes (5m) or hours (1h).");
        return null;
    }

    private static ExpiryThreshold[] ParseThresholds(ArgumentResult result)
    {
        var thresholds = new List<ExpiryThreshold>();
        foreach (var token in result.Tokens)
        {
            if (ExpiryThreshold.TryParse(token.Value, out var threshold))
            {
                thresholds.Add(threshold);
            }
            else
            {
                var option = (result.Parent as OptionResult)?.Option.Name ?? "the threshold";
                result.AddError($"{option} '{token.Value}' is not a number of days (30, 30d) or a lifetime percentage (33%).");
            }
        }

        return [.. thresholds];
    }
}
