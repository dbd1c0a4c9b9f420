#!/usr/bin/env bash
# Time to the first complete snapshot and peak memory of the sample web app whose monitor watches N separate file
# sources (one configured Path per certificate, unlike monitor-directory-memory.sh's single directory). Each finished
# source publishes a snapshot, so this is where publishing's cost per source shows (issue 14, item 3).
# Usage: benchmarks/CertGuard.Benchmarks/load/monitor-file-sources.sh [count...]   (default: 1000 10000)
# Needs: python3 with the 'cryptography' package, curl. SAMPLE_DLL overrides the sample build (to compare commits).
set -euo pipefail
cd "$(dirname "$0")/../../.."
counts=("${@:-1000 10000}")
port="${PORT:-5098}"
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

if [ -z "${SAMPLE_DLL:-}" ]; then
  dotnet build -c Release samples/CertGuard.Samples.WebApi --nologo -v q >/dev/null
  SAMPLE_DLL=samples/CertGuard.Samples.WebApi/bin/Release/net10.0/CertGuard.Samples.WebApi.dll
fi

largest=$(printf '%s\n' ${counts[@]} | sort -n | tail -1)
python3 benchmarks/CertGuard.Benchmarks/load/mint-certificates.py "$work/certs" "$largest" healthy
mapfile -t files < <(find "$work/certs" -name '*.pem' | sort)

printf '| file sources | seconds to first snapshot | peak RSS (MiB) | RSS after (MiB) |\n| ---: | ---: | ---: | ---: |\n'
for count in ${counts[@]}; do
  args=()
  for ((i = 0; i < count; i++)); do
    args+=("--CertGuard:Certificates:$i:Path=${files[$i]}")
  done
  start=$(date +%s.%N)
  dotnet "$SAMPLE_DLL" --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning "${args[@]}" >"$work/sample.log" 2>&1 &
  pid=$!
  # /health answers Healthy only once every source has been checked (an unchecked one is Degraded).
  until [ "$(curl -s "http://127.0.0.1:$port/health")" = "Healthy" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/sample.log" >&2; exit 1; }
    sleep 0.2
  done
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  sleep 2
  peak=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' /proc/$pid/status)
  now=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' /proc/$pid/status)
  printf '| %s | %.1f | %s | %s |\n' "$count" "$seconds" "$peak" "$now"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
