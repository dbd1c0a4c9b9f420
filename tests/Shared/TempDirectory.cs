namespace CertGuard.Testing;

/// <summary>A directory for one test, deleted afterwards. Shared by the test projects as a linked file.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "certguard-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The full path of a file or folder inside the directory.</summary>
    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public string Write(string name, string text) => Write(name, path => File.WriteAllText(path, text));

    public string Write(string name, byte[] bytes) => Write(name, path => File.WriteAllBytes(path, bytes));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string Write(string name, Action<string> write)
    {
        var path = this[name];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        write(path);
        return path;
    }
}
