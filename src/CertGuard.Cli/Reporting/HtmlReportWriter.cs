using System.Globalization;
using System.Net;
using CertGuard.Cli.Scanning;
using CertGuard.Policy;
using CertGuard.Display;

namespace CertGuard.Cli.Reporting;

/// <summary>
/// One self-contained HTML page (no external assets): a summary, an expiry timeline (expired, this week, this month,
/// this quarter, later) and a sortable, filterable table. Everything is rendered on the server side so the page reads
/// without script; the small inline script only sorts and filters, sets <c>data-ready</c> on the root element when
/// it has run, and shows any script error in <c>#script-errors</c>. Every value is HTML-encoded; text from certificates,
/// files and peers is isolated in <c>&lt;bdi&gt;</c> with its control characters and bidirectional overrides shown as
/// escapes, so <c>invoice\u202efdp.exe</c> cannot read as "invoiceexe.pdf" or reorder the date beside it.
/// </summary>
internal sealed class HtmlReportWriter : IReportWriter
{
    private static readonly (string Id, string Title, int? UpToDays)[] Buckets =
    [
        ("expired", "Expired", 0),
        ("week", "This week", 7),
        ("month", "This month", 30),
        ("quarter", "This quarter", 90),
        ("later", "Later", null),
    ];

    private const int TimelineDays = 90;
    private const int NamesPerBucket = 8;

    public bool IncludesErrors => true;

    public void Write(Inventory inventory, TextWriter output, ReportTerminal terminal)
    {
        output.Write("""
            <!DOCTYPE html>
            <html lang="en" data-ready="false">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <title>Certificate inventory</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
            h1{margin:0 0 .2rem}h2{margin:1.6rem 0 .6rem;font-size:1.15rem}.muted{color:#57606a}
            .cards{display:flex;gap:.8rem;flex-wrap:wrap}.card{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem;min-width:7rem}
            .card b{display:block;font-size:1.6rem}
            .Healthy{color:#1a7f37}.Degraded{color:#9a6700}.Unhealthy,.Error{color:#cf222e}
            .buckets{display:grid;grid-template-columns:repeat(5,1fr);gap:.6rem}
            .bucket{border:1px solid #d0d7de;border-radius:8px;padding:.5rem .7rem}.bucket h3{margin:0;font-size:.95rem}
            .bucket .count{font-size:1.5rem;font-weight:700}.bucket ul{margin:.3rem 0 0;padding-left:1.1rem;font-size:.85rem}
            .bucket.expired{border-color:#cf222e}.bucket.week{border-color:#cf222e}.bucket.month{border-color:#d4a72c}
            .strip{position:relative;height:2.2rem;margin:1rem 0 .2rem;border-radius:6px;background:linear-gradient(90deg,#ffebe9 0,#ffebe9 7.8%,#fff8c5 7.8%,#fff8c5 33.3%,#dafbe1 33.3%)}
            .mark{position:absolute;top:.35rem;width:.6rem;height:1.5rem;margin-left:-.3rem;border-radius:3px;background:#1a7f37;opacity:.8}
            .mark.Degraded{background:#bf8700}.mark.Unhealthy{background:#cf222e}
            .scale{position:relative;height:1.2rem;font-size:.8rem;color:#57606a}.scale span{position:absolute;transform:translateX(-50%)}.scale span:first-child{transform:none}.scale span:last-child{transform:translateX(-100%)}
            table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d8dee4;padding:.35rem .5rem;text-align:left;vertical-align:top}
            th{cursor:pointer;user-select:none;background:#f6f8fa;position:sticky;top:0}th[aria-sort=ascending]::after{content:" \25B2"}th[aria-sort=descending]::after{content:" \25BC"}
            td.num{text-align:right}.controls{display:flex;gap:.6rem;align-items:center;margin-bottom:.5rem}
            input[type=search]{padding:.3rem .5rem;min-width:18rem}code{font-size:.8rem;word-break:break-all}
            #script-errors{border:2px solid #cf222e;background:#ffebe9;padding:.5rem 1rem;margin:1rem 0}
            </style>
            </head>
            <body>
            <div id="script-errors" role="alert" hidden></div>

            """);
        WriteSummary(inventory, output);
        WriteTimeline(inventory, output);
        WriteTable(inventory, output);
        WriteErrors(inventory, output);
        output.Write(Script);
        output.Write("</body>\n</html>\n");
    }

    private static string H(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Untrusted text for an element's content: escaped, encoded and isolated from the text around it.</summary>
    private static string U(string? text) => $"<bdi>{H(DisplayText.Escape(text))}</bdi>";

    /// <summary>Untrusted text for an attribute value (no markup there, so no isolation; the escapes still show).</summary>
    private static string A(string? text) => H(DisplayText.Escape(text));

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void WriteSummary(Inventory inventory, TextWriter output)
    {
        output.Write($"""
            <header>
            <h1>Certificate inventory</h1>
            <p class="muted">Scanned {H(ReportValues.Iso(inventory.ScannedAt))}. {H(ReportValues.Summary(inventory))}.</p>
            </header>
            <section id="summary" class="cards">
            <div class="card"><b>{inventory.Certificates.Count}</b>certificates</div>
            <div class="card Healthy"><b>{inventory.Count(CertificateStatus.Healthy)}</b>healthy</div>
            <div class="card Degraded"><b>{inventory.Count(CertificateStatus.Degraded)}</b>degraded</div>
            <div class="card Unhealthy"><b>{inventory.Count(CertificateStatus.Unhealthy)}</b>unhealthy</div>
            <div class="card Error"><b>{inventory.Errors.Count}</b>load errors</div>
            </section>

            """);
    }

    private static void WriteTimeline(Inventory inventory, TextWriter output)
    {
        var entries = ReportValues.BySoonestExpiry(inventory).ToList();
        output.Write("<section id=\"timeline\">\n<h2>Expiry timeline</h2>\n<div class=\"buckets\">\n");
        var lower = int.MinValue;
        foreach (var (id, title, upTo) in Buckets)
        {
            var inBucket = entries.Where(e => e.Report.TimeRemaining.TotalDays > lower && (upTo is null || e.Report.TimeRemaining.TotalDays <= upTo)).ToList();
            lower = upTo ?? lower;
            output.Write($"<div class=\"bucket {id}\" data-bucket=\"{id}\"><h3>{H(title)}</h3><div class=\"count\">{inBucket.Count}</div><ul>");
            foreach (var entry in inBucket.Take(NamesPerBucket))
            {
                output.Write($"<li><span class=\"{entry.Status}\">{U(ReportValues.Name(entry.Report.Facts))}</span> <span class=\"muted\">{H(ReportValues.Date(entry.Report.Facts.NotAfter))}</span></li>");
            }

            if (inBucket.Count > NamesPerBucket)
            {
                output.Write($"<li class=\"muted\">and {inBucket.Count - NamesPerBucket} more</li>");
            }

            output.Write("</ul></div>\n");
        }

        output.Write($"</div>\n<div class=\"strip\" aria-label=\"Expiries over the next {TimelineDays} days\">");
        foreach (var entry in entries.Where(e => e.Report.TimeRemaining.TotalDays <= TimelineDays))
        {
            var position = Math.Clamp(entry.Report.TimeRemaining.TotalDays, 0, TimelineDays) * 100 / TimelineDays;
            var tip = $"{ReportValues.Name(entry.Report.Facts)}: {ReportValues.Date(entry.Report.Facts.NotAfter)} ({entry.Report.DaysRemaining} days) {entry.Source}";
            output.Write($"<span class=\"mark {entry.Status}\" style=\"left:{N(position)}%\" title=\"{A(tip)}\"></span>");
        }

        output.Write("</div>\n<div class=\"scale\"><span style=\"left:0\">today</span><span style=\"left:7.78%\">7 days</span><span style=\"left:33.33%\">30 days</span><span style=\"left:66.67%\">60 days</span><span style=\"left:100%\">90 days</span></div>\n</section>\n");
    }

    private static void WriteTable(Inventory inventory, TextWriter output)
    {
        output.Write("""
            <section id="certificates">
            <h2>Certificates</h2>
            <div class="controls">
            <input id="filter" type="search" placeholder="Filter by subject, source, owner, finding..." aria-label="Filter">
            <select id="status-filter" aria-label="Status"><option value="">Every status</option><option>Unhealthy</option><option>Degraded</option><option>Healthy</option></select>
            <span id="shown-count" class="muted"></span>
            </div>
            <table id="certificate-table">
            <thead><tr><th data-type="number">Status</th><th data-type="number">Expires</th><th data-type="number">Days</th><th>Subject</th><th>Source</th><th>Owner</th><th>Key</th><th>Hash</th><th>Findings</th><th>Thumbprint (SHA-256)</th></tr></thead>
            <tbody>

            """);
        foreach (var entry in ReportValues.BySoonestExpiry(inventory))
        {
            var facts = entry.Report.Facts;
            var findings = string.Join("<br>", entry.Report.Findings.Select(f => $"<span title=\"{A(f.Message)}\">{H(f.Id)}</span>"));
            output.Write(
                $"<tr data-status=\"{entry.Status}\">"
                + $"<td class=\"{entry.Status}\" data-value=\"{2 - (int)entry.Status}\">{entry.Status}</td>"
                + $"<td data-value=\"{facts.NotAfter.ToUnixTimeSeconds()}\">{H(ReportValues.Date(facts.NotAfter))}</td>"
                + $"<td class=\"num\" data-value=\"{N(entry.Report.TimeRemaining.TotalDays)}\">{entry.Report.DaysRemaining}</td>"
                + $"<td title=\"{A(facts.Subject)}\">{U(ReportValues.Name(facts))}</td>"
                + $"<td>{U(entry.Source)}</td>"
                + $"<td>{U(entry.Owner ?? "-")}</td>"
                + $"<td>{U(ReportValues.Key(facts))}</td>"
                + $"<td>{U(facts.SignatureHashAlgorithm ?? "-")}</td>"
                + $"<td>{(findings.Length == 0 ? "-" : findings)}</td>"
                + $"<td><code>{H(facts.ThumbprintSha256)}</code></td></tr>\n");
        }

        output.Write("</tbody>\n</table>\n</section>\n");
    }

    private static void WriteErrors(Inventory inventory, TextWriter output)
    {
        output.Write($"<section id=\"errors\">\n<h2>Load errors ({inventory.Errors.Count})</h2>\n");
        if (inventory.Errors.Count == 0)
        {
            output.Write("<p class=\"muted\">None: every source was read.</p>\n</section>\n");
            return;
        }

        output.Write("<table id=\"error-table\"><thead><tr><th>Source</th><th>Reason</th><th>Message</th></tr></thead><tbody>\n");
        foreach (var error in inventory.Errors)
        {
            output.Write($"<tr><td>{U(error.Source)}</td><td class=\"Error\">{H(error.Reason.ToString())}</td><td>{U(error.Message)}</td></tr>\n");
        }

        output.Write("</tbody></table>\n</section>\n");
    }

    private const string Script = """
        <script>
        (function () {
          var box = document.getElementById('script-errors');
          function report(message) {
            box.hidden = false;
            var line = document.createElement('p');
            line.textContent = 'Script error: ' + message;
            box.appendChild(line);
            document.documentElement.setAttribute('data-script-error', 'true');
          }
          window.addEventListener('error', function (e) { report(e.message); });
          try {
            var table = document.getElementById('certificate-table');
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            var headers = table.tHead.rows[0].cells;
            var filter = document.getElementById('filter');
            var status = document.getElementById('status-filter');
            var shown = document.getElementById('shown-count');
            function apply() {
              var query = filter.value.toLowerCase();
              var wanted = status.value;
              var count = 0;
              rows.forEach(function (row) {
                var visible = (!query || row.textContent.toLowerCase().indexOf(query) >= 0)
                  && (!wanted || row.getAttribute('data-status') === wanted);
                row.hidden = !visible;
                if (visible) { count++; }
              });
              shown.textContent = count + ' of ' + rows.length + ' shown';
            }
            function key(row, index, numeric) {
              var cell = row.cells[index];
              var value = cell.hasAttribute('data-value') ? cell.getAttribute('data-value') : cell.textContent;
              return numeric ? parseFloat(value) : value.toLowerCase();
            }
            function sort(index) {
              var header = headers[index];
              var numeric = header.getAttribute('data-type') === 'number';
              var direction = header.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
              Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
              header.setAttribute('aria-sort', direction === 1 ? 'ascending' : 'descending');
              rows.sort(function (a, b) {
                var x = key(a, index, numeric), y = key(b, index, numeric);
                return x < y ? -direction : x > y ? direction : 0;
              });
              rows.forEach(function (row) { body.appendChild(row); });
            }
            Array.prototype.forEach.call(headers, function (header, index) {
              header.tabIndex = 0;
              header.addEventListener('click', function () { sort(index); });
              header.addEventListener('keydown', function (e) {
                if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(index); }
              });
            });
            filter.addEventListener('input', apply);
            status.addEventListener('change', apply);
            apply();
            document.documentElement.setAttribute('data-ready', 'true');
          } catch (e) {
            report(e && e.message ? e.message : String(e));
          }
        })();
        </script>

        """;
}
