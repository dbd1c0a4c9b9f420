#!/usr/bin/env bash
# Endpoint sweep: time from start to the first complete snapshot for N TLS endpoints (one real Kestrel on 127.0.0.1
# serving N certificates chosen by SNI name), through CertificateMonitor with several concurrency bounds, then the
# same N endpoints (one port each, no SNI) through the real `certguard scan`.
# Usage: benchmarks/CertGuard.Benchmarks/load/endpoint-sweep.sh [count] [repeats] [bounds] [cli-concurrencies]
#   defaults: 1000 3 "1 8 32 64 1000" "1 4 32 64"   (8 is the monitor's default bound, 4 the CLI's default here;
#   an empty list ("") skips that part)
# Needs: GNU time. Prints one JSON line per monitor run and a Markdown row per CLI run.
set -euo pipefail
cd "$(dirname "$0")/../../.."
count=${1:-1000}
repeats=${2:-3}
bounds=(${3-1 8 32 64 1000})
cli_concurrencies=(${4-1 4 32 64})
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release benchmarks/CertGuard.Benchmarks --nologo -v q >/dev/null
dotnet build -c Release src/CertGuard.Cli --nologo -v q >/dev/null
bench=benchmarks/CertGuard.Benchmarks/bin/Release/net10.0/CertGuard.Benchmarks.dll
tool=src/CertGuard.Cli/bin/Release/net10.0/CertGuard.Cli.dll

dotnet "$bench" sweep-server --dir "$work" --count "$count" --ports 2>"$work/server.log" &
server=$!
for _ in $(seq 120); do [ -f "$work/sweep.json" ] && break; sleep 1; done
[ -f "$work/sweep.json" ] || { cat "$work/server.log"; exit 1; }
cat "$work/server.log" >&2

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(dotnet --version) SDK; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## monitor (dotnet CertGuard.Benchmarks.dll sweep --dir DIR --bound B)"
for bound in "${bounds[@]}"; do
  for _ in $(seq "$repeats"); do
    # A wrong snapshot exits 1 with the problems in its line; keep going so every bound is measured.
    { dotnet "$bench" sweep --dir "$work" --bound "$bound" || true; } | sed "s/}\$/,\"loadavg\":\"$(cut -d' ' -f1 /proc/loadavg)\"}/"
  done
done

echo "## cli (certguard scan 127.0.0.1:PORT x $count --trust root.pem --format json --concurrency C)"
python3 -c "import json,sys; [print(f'127.0.0.1:{p[\"Port\"]}') for p in json.load(open(sys.argv[1]))['Ports']]" "$work/sweep.json" >"$work/targets"
printf '| endpoints | --concurrency | seconds | endpoints/s | peak RSS (MiB) | certificates | errors | wrong subject | load avg |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for concurrency in "${cli_concurrencies[@]}"; do
  for _ in $(seq "$repeats"); do
    start=$(date +%s.%N)
    # shellcheck disable=SC2046 # one argument per endpoint
    /usr/bin/time -f '%M' -o "$work/rss" dotnet "$tool" scan $(cat "$work/targets") --trust "$work/root.pem" \
      --format json --output "$work/report.json" --fail-on never --quiet --concurrency "$concurrency"
    end=$(date +%s.%N)
    read -r certificates errors wrong < <(python3 - "$work/report.json" "$work/sweep.json" <<'PY'
import json, sys
report, setup = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
names = {f"127.0.0.1:{p['Port']}": p['Name'] for p in setup['Ports']}
wrong = sum(1 for c in report['certificates'] if c['subject'] != f"CN={names.get(c['source'], '?')}" or c['status'] != 'Healthy')
print(len(report['certificates']), len(report['errors']), wrong)
PY
)
    seconds=$(echo "$end - $start" | bc -l)
    printf '| %d | %d | %.2f | %.0f | %d | %d | %d | %d | %s |\n' "$count" "$concurrency" "$seconds" "$(echo "$count / $seconds" | bc -l)" \
      "$(( $(cat "$work/rss") / 1024 ))" "$certificates" "$errors" "$wrong" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
