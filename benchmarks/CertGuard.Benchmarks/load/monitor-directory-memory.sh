#!/usr/bin/env bash
# Peak memory of the sample web app whose monitor watches one directory of N certificate files: time to the first
# complete snapshot and peak RSS (VmHWM). The monitor scans a directory one file at a time, so the peak should stay
# near the reports' own size rather than grow with every certificate held at once.
# Usage: benchmarks/CertGuard.Benchmarks/load/monitor-directory-memory.sh [count...]   (default: 1000 10000 20000)
# Needs: python3 with the 'cryptography' package, curl. SAMPLE_DLL overrides the sample build (to compare commits).
set -euo pipefail
cd "$(dirname "$0")/../../.."
counts=("${@:-1000 10000 20000}")
port="${PORT:-5097}"
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

if [ -z "${SAMPLE_DLL:-}" ]; then
  dotnet build -c Release samples/CertGuard.Samples.WebApi --nologo -v q >/dev/null
  SAMPLE_DLL=samples/CertGuard.Samples.WebApi/bin/Release/net10.0/CertGuard.Samples.WebApi.dll
fi

printf '| files | seconds to first snapshot | peak RSS (MiB) | RSS after (MiB) |\n| ---: | ---: | ---: | ---: |\n'
for count in ${counts[@]}; do
  dir="$work/certs-$count"
  python3 benchmarks/CertGuard.Benchmarks/load/mint-certificates.py "$dir" "$count" healthy
  start=$(date +%s.%N)
  dotnet "$SAMPLE_DLL" --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning \
    "--CertGuard:Certificates:0:Directory=$dir" "--CertGuard:Certificates:0:Timeout=00:10:00" >"$work/sample.log" 2>&1 &
  pid=$!
  # /health, not /health/details: rendering every report on each poll would measure the JSON, not the scan.
  until [ "$(curl -s "http://127.0.0.1:$port/health")" = "Healthy" ]; do sleep 0.2; done
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  sleep 2
  peak=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' /proc/$pid/status)
  now=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' /proc/$pid/status)
  printf '| %s | %.1f | %s | %s |\n' "$count" "$seconds" "$peak" "$now"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  rm -rf "$dir"
done
