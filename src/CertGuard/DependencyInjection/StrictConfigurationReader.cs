using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace CertGuard.DependencyInjection;

/// <summary>
/// Binds a configuration section onto option objects and, unlike the framework's binder, never drops what it cannot
/// read: an unknown key, an unknown enum value or an unparsable number or time span each becomes a problem naming the
/// full configuration path, the value and what is accepted. Values of password settings are never repeated.
/// </summary>
internal static class StrictConfigurationReader
{
    /// <summary>Binds <paramref name="section"/>'s keys onto the first of <paramref name="targets"/> with a matching property.</summary>
    /// <param name="section">The section to read.</param>
    /// <param name="path">The section's configuration path, for messages.</param>
    /// <param name="problems">Receives one line per setting that cannot be read.</param>
    /// <param name="targets">The objects to bind, each with the names of properties that configuration must not set.</param>
    public static void Bind(IConfiguration section, string path, List<string> problems, params (object Target, string[] Hidden)[] targets) =>
        Bind(section, path, problems, ignoreUnknownKeys: false, targets);

    /// <summary>As <see cref="Bind(IConfiguration, string, List{string}, ValueTuple{object, string[]}[])"/>; unknown keys at this level are skipped when asked (a whole configuration root holds other settings).</summary>
    public static void Bind(IConfiguration section, string path, List<string> problems, bool ignoreUnknownKeys, params (object Target, string[] Hidden)[] targets)
    {
        foreach (var child in section.GetChildren())
        {
            var childPath = $"{path}:{child.Key}";
            var match = targets
                .Select(t => (t.Target, Property: FindProperty(t.Target.GetType(), child.Key, t.Hidden)))
                .FirstOrDefault(m => m.Property is not null);
            if (match.Property is null && ignoreUnknownKeys)
            {
                continue;
            }

            if (match.Property is null)
            {
                var known = targets.SelectMany(t => BindableProperties(t.Target.GetType(), t.Hidden)).Select(p => p.Name).Order(StringComparer.Ordinal);
                problems.Add($"{childPath} is not a setting CertGuard knows (check the spelling); known settings here: {string.Join(", ", known)}.");
                continue;
            }

            BindProperty(child, childPath, match.Target, match.Property!, problems);
        }
    }

    private static void BindProperty(IConfigurationSection child, string path, object target, PropertyInfo property, List<string> problems)
    {
        var type = property.PropertyType;
        if (type == typeof(IList<string>))
        {
            var list = (IList<string>)property.GetValue(target)!;
            if (child.Value is { Length: > 0 } && !child.GetChildren().Any())
            {
                problems.Add($"{path} must be a list ({path}:0, {path}:1, ...), not a single value.");
                return;
            }

            foreach (var item in child.GetChildren())
            {
                if (item.Value is null)
                {
                    problems.Add($"{path}:{item.Key} must be a value, not a section.");
                }
                else
                {
                    list.Add(item.Value);
                }
            }

            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>))
        {
            var elementType = type.GetGenericArguments()[0];
            var list = (IList)property.GetValue(target)!;
            foreach (var item in child.GetChildren())
            {
                var element = Activator.CreateInstance(elementType)!;
                if (item.Value is { Length: > 0 } && !item.GetChildren().Any())
                {
                    problems.Add($"{path}:{item.Key} must be a section with settings, not a single value.");
                    continue;
                }

                Bind(item, $"{path}:{item.Key}", problems, (element, []));
                list.Add(element);
            }

            return;
        }

        if (type.IsClass && type != typeof(string) && property.GetValue(target) is { } nested)
        {
            // A settings object of its own (for example CertGuard:Revocation), read as strictly.
            Bind(child, path, problems, (nested, []));
            return;
        }

        if (child.GetChildren().Any())
        {
            problems.Add($"{path} must be a single value, not a section.");
            return;
        }

        var value = child.Value;
        var underlying = Nullable.GetUnderlyingType(type);
        if (value is null || (value.Length == 0 && (underlying is not null || type != typeof(string))))
        {
            // An empty value means "not set", as with the framework's binder.
            return;
        }

        if (!property.CanWrite)
        {
            problems.Add($"{path} cannot be set.");
            return;
        }

        if (TryConvert(value, underlying ?? type, path, property.Name, out var converted, out var problem))
        {
            property.SetValue(target, converted);
        }
        else
        {
            problems.Add(problem!);
        }
    }

    private static bool TryConvert(string value, Type type, string path, string propertyName, out object? converted, out string? problem)
    {
        converted = null;
        problem = null;
        var shown = IsSecret(propertyName) ? "(value not shown)" : $"'{value}'";
        if (type == typeof(string))
        {
            converted = value;
            return true;
        }

        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            var name = names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                problem = $"{path} is {shown}, which is not one of: {string.Join(", ", names)}.";
                return false;
            }

            converted = Enum.Parse(type, name);
            return true;
        }

        if (type == typeof(TimeSpan))
        {
            if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span))
            {
                converted = span;
                return true;
            }

            problem = $"{path} is {shown}, which is not a time span; write [days.]hours:minutes:seconds, for example 00:00:30 or 30.00:00:00.";
            return false;
        }

        if (type == typeof(int))
        {
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                converted = number;
                return true;
            }

            problem = $"{path} is {shown}, which is not a whole number, for example 2048.";
            return false;
        }

        if (type == typeof(long))
        {
            if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                converted = number;
                return true;
            }

            problem = $"{path} is {shown}, which is not a whole number, for example 1048576.";
            return false;
        }

        if (type == typeof(double))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                converted = number;
                return true;
            }

            problem = $"{path} is {shown}, which is not a number, for example 0.25.";
            return false;
        }

        if (type == typeof(bool))
        {
            if (bool.TryParse(value, out var flag))
            {
                converted = flag;
                return true;
            }

            problem = $"{path} is {shown}, which is not one of: true, false.";
            return false;
        }

        problem = $"{path} has a type CertGuard cannot read from configuration ({type.Name}).";
        return false;
    }

    private static bool IsSecret(string propertyName) =>
        propertyName.Contains("Password", StringComparison.OrdinalIgnoreCase) && !propertyName.EndsWith("EnvironmentVariable", StringComparison.Ordinal);

    private static PropertyInfo? FindProperty(Type type, string key, string[] hidden) =>
        BindableProperties(type, hidden).FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<PropertyInfo> BindableProperties(Type type, string[] hidden) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && !hidden.Contains(p.Name, StringComparer.Ordinal));
}
