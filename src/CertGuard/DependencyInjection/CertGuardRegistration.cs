using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace CertGuard.DependencyInjection;

/// <summary>
/// One <c>AddCertGuard</c> call: its health check name, the configuration section it reads (if any) and the code that
/// adjusts its options (if any). Reads and validates its options the same way at start and on every reload.
/// </summary>
internal sealed class CertGuardRegistration
{
    private readonly Action<CertGuardOptions>? _configure;
    private readonly CertGuardOptionsValidator _validator;

    public CertGuardRegistration(string name, IConfiguration? section, Action<CertGuardOptions>? configure)
    {
        Name = name;
        Section = section;
        _configure = configure;
        SettingsPath = section is null
            ? $"CertGuardOptions('{name}')"
            : (section as IConfigurationSection)?.Path is { Length: > 0 } path ? path : "CertGuard";
        _validator = new CertGuardOptionsValidator(name, SettingsPath);
    }

    /// <summary>The health check's name, also the name of this registration's <see cref="CertGuardOptions"/>.</summary>
    public string Name { get; }

    /// <summary>The configuration section, or null for a registration made in code only.</summary>
    public IConfiguration? Section { get; }

    /// <summary>How messages name the settings: the section's path, or <c>CertGuardOptions('name')</c> for code.</summary>
    public string SettingsPath { get; }

    public CertGuardOptionsValidator Validator => _validator;

    /// <summary>Reads the section (recording what cannot be read), then applies the code's adjustments.</summary>
    public void Apply(CertGuardOptions options)
    {
        if (Section is not null)
        {
            StrictConfigurationReader.Bind(Section, SettingsPath, options.ReadProblems, ignoreUnknownKeys: Section is not IConfigurationSection, (options, [nameof(CertGuardOptions.Policy)]), (options.Policy, []), (new OtherSections(), []));
        }

        _configure?.Invoke(options);
    }

    /// <summary>Reads fresh options and their problems (empty when valid); never throws.</summary>
    public (CertGuardOptions Options, IReadOnlyList<string> Problems) Read()
    {
        var options = new CertGuardOptions();
        try
        {
            Apply(options);
            return (options, _validator.Problems(options));
        }
        catch (Exception ex)
        {
            // A throwing configure delegate or provider: name the registration, not the (possibly secret) values.
            return (options, [$"{SettingsPath} cannot be read: {ex.GetType().Name}: {ex.Message}"]);
        }
    }

    /// <summary>Reads the options as far as they can be read, for defaults derived from them; never throws.</summary>
    public CertGuardOptions ReadQuietly()
    {
        var options = new CertGuardOptions();
        try
        {
            Apply(options);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Reported by the registration's own validation.
        }

        return options;
    }

    /// <summary>Fires when the section's configuration reloads; only for registrations with a section.</summary>
    public IChangeToken ChangeToken() => (Section ?? throw new InvalidOperationException("A registration made in code does not reload.")).GetReloadToken();

    /// <summary>
    /// Sub-sections other registrations read from the same section (README: <c>CertGuard:Revocation</c> for the
    /// revocation checker), so they are known keys here, and their typos are caught as well.
    /// </summary>
    private sealed class OtherSections
    {
        public Inspection.Revocation.RevocationCheckerOptions Revocation { get; } = new();
    }
}
