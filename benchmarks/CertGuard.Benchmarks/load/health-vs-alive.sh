#!/usr/bin/env bash
# Compares the requests/s of /health (FILES watched files, default 100, + 5 watched TLS endpoints) with /alive
# (no checks) on the quick-start sample, with wrk on loopback. Needs: dotnet, openssl, wrk (apt-get install -y wrk).
# Usage: [FILES=1000] [STATE=healthy|degraded|unhealthy] benchmarks/CertGuard.Benchmarks/load/health-vs-alive.sh [duration-seconds] [connections]
# STATE adds one more source: a directory holding one unreadable file (a Warning: Degraded, 200) or a missing file
# (Critical: Unhealthy, 503), so the poll is measured in each state the snapshot can be in.
set -euo pipefail

DURATION="${1:-15}"
CONNECTIONS="${2:-32}"
PORT="${PORT:-5080}"
FILES="${FILES:-100}"
STATE="${STATE:-healthy}"
SOURCES=$((FILES + 5)); [ "$STATE" = healthy ] || SOURCES=$((SOURCES + 1))
FIRST_TLS_PORT="${FIRST_TLS_PORT:-18443}"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
WORK="$(mktemp -d -t certguard-load-XXXXXX)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

echo "Minting $FILES certificate files and 5 TLS endpoints in $WORK"
ARGS=(--urls "http://127.0.0.1:$PORT" --Logging:LogLevel:Default=Warning)
# Lifetimes stay between 60 and 359 days: Healthy, so ASP.NET Core does not log a Warning on every poll (it does for
# Degraded), which would measure the console logger rather than the check.
for i in $(seq 0 $((FILES - 1))); do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=host-$i.example" \
    -addext "subjectAltName=DNS:host-$i.example" -addext "basicConstraints=critical,CA:FALSE" -days $((60 + i % 300)) \
    -keyout "$WORK/key-$i.pem" -out "$WORK/cert-$i.pem" 2>/dev/null
  ARGS+=("--CertGuard:Certificates:$i:Path=$WORK/cert-$i.pem")
done
for j in 0 1 2 3 4; do
  port=$((FIRST_TLS_PORT + j))
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -addext "basicConstraints=critical,CA:FALSE" -days 90 -keyout "$WORK/tls-key-$j.pem" -out "$WORK/tls-$j.pem" 2>/dev/null
  openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$WORK/tls-$j.pem" -key "$WORK/tls-key-$j.pem" -www >/dev/null 2>&1 &
  PIDS+=($!)
  n=$((FILES + j))
  # Self-signed test endpoints: no chain evaluation, so the node is Healthy and both URLs answer 200.
  ARGS+=("--CertGuard:Certificates:$n:Endpoint=127.0.0.1:$port" "--CertGuard:Certificates:$n:Trust=None")
done

extra=$((FILES + 5))
case "$STATE" in
  degraded) mkdir -p "$WORK/folder" && echo "not a certificate" > "$WORK/folder/broken.pem"
            ARGS+=("--CertGuard:Certificates:$extra:Directory=$WORK/folder") ;;
  unhealthy) ARGS+=("--CertGuard:Certificates:$extra:Path=$WORK/missing.pem") ;;
  healthy) ;;
  *) echo "STATE must be healthy, degraded or unhealthy" >&2; exit 2 ;;
esac

dotnet build -c Release "$ROOT/samples/CertGuard.Samples.WebApi" -v quiet -nologo >/dev/null
# The log is written into the watched directory on purpose: writes beside the certificates must refresh nothing.
dotnet "$ROOT/samples/CertGuard.Samples.WebApi/bin/Release/net10.0/CertGuard.Samples.WebApi.dll" "${ARGS[@]}" >"$WORK/sample.log" 2>&1 &
PIDS+=($!)

echo "Waiting for the first refresh of all $SOURCES sources"
for _ in $(seq 1 120); do
  checked=$(curl -s "http://127.0.0.1:$PORT/health/details" | grep -c '"checked": true' || true)
  [ "$checked" = "$SOURCES" ] && break
  sleep 0.5
done
echo "Sources checked: $checked; /health says: $(curl -s "http://127.0.0.1:$PORT/health")"

run() {
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$PORT$1" | awk -v path="$1" '/Requests\/sec/ { print path, $2 }'
}
run /alive >/dev/null   # warm-up
run /health >/dev/null  # warm-up
for round in 1 2 3; do
  run /alive
  run /health
done
