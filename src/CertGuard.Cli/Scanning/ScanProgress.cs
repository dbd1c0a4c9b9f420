using Spectre.Console;

namespace CertGuard.Cli.Scanning;

/// <summary>
/// A progress bar with counts on standard error while a scan runs, only when a person is watching: nothing when
/// standard error is redirected or <c>--quiet</c> is given.
/// </summary>
internal sealed class ScanProgress : IDisposable
{
    private static readonly ScanProgress Silent = new(0);
    private ProgressTask? _task;
    private Task? _rendering;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _total;
    private int _sources;
    private int _certificates;
    private int _errors;

    private ScanProgress(int total)
    {
        _total = total;
    }

    public static ScanProgress Start(CliConsole console, bool quiet, int total)
    {
        // A handful of sources finishes before a bar is worth drawing.
        if (quiet || !console.ErrorIsTerminal || total < 2)
        {
            return Silent;
        }

        // The caller has established that standard error is a terminal; say so rather than let Spectre guess from the writer.
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Error),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        var progress = new ScanProgress(total);
        progress._rendering = terminal.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                progress._task = context.AddTask("scanning", maxValue: total);
                while (!progress._done.Task.IsCompleted)
                {
                    await Task.WhenAny(progress._done.Task, Task.Delay(100)).ConfigureAwait(false);
                    progress.Refresh();
                    context.Refresh();
                }

                // The scan may have ended just after the last refresh: draw the final counts.
                progress.Refresh();
                context.Refresh();
            });

        return progress;
    }

    public void Completed(int certificates, int errors)
    {
        Interlocked.Increment(ref _sources);
        Interlocked.Add(ref _certificates, certificates);
        Interlocked.Add(ref _errors, errors);
    }

    public void Dispose()
    {
        if (_rendering is null)
        {
            return;
        }

        _done.TrySetResult();
        _rendering.GetAwaiter().GetResult();
    }

    private void Refresh()
    {
        if (_task is null)
        {
            return;
        }

        var sources = Volatile.Read(ref _sources);
        _task.Value = sources;
        _task.Description = $"{sources}/{_total} sources, {Volatile.Read(ref _certificates)} certificates, {Volatile.Read(ref _errors)} errors";
    }
}
