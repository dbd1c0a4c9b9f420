#!/usr/bin/env bash
# Health poll: CertGuard's cached snapshot against a check that handshakes on every poll (how the ecosystem's SSL
# health check, AspNetCore.HealthChecks.Network's SslHealthCheck, works), in one process and one run.
#
# Starts MAX_ENDPOINTS `openssl s_server` TLS endpoints on 127.0.0.1 (certificates from a CA minted here), then, for
# each N in ENDPOINT_COUNTS, the contrast host (CertGuard.Benchmarks serve-contrast) watching the first N endpoints, and
# alternates wrk on /alive (no checks), /health (CertGuard) and /health/handshake (TCP + TLS to each endpoint per poll)
# for ROUNDS rounds. Prints requests/s, latency p50/p99, non-2xx and socket errors, and the TLS handshakes the endpoints
# received during each run (full and resumed, from s_server's own counters).
#
# Needs: dotnet, openssl, wrk and curl (apt-get install -y wrk curl).
# Usage: [ENDPOINT_COUNTS="1 5"] [ROUNDS=3] [PORT=5090] benchmarks/CertGuard.Benchmarks/load/health-handshake-contrast.sh [duration-seconds] [connections]
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
THREADS=$((CONNECTIONS < 2 ? CONNECTIONS : 2))
PORT="${PORT:-5090}"
ROUNDS="${ROUNDS:-3}"
ENDPOINT_COUNTS="${ENDPOINT_COUNTS:-1 5}"
MAX_ENDPOINTS=0
for n in $ENDPOINT_COUNTS; do [ "$n" -gt "$MAX_ENDPOINTS" ] && MAX_ENDPOINTS=$n; done
FIRST_TLS_PORT="${FIRST_TLS_PORT:-18543}"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
WORK="$(mktemp -d -t certguard-contrast-XXXXXX)"
TLS_PIDS=()
HOST_PID=""
stop_host() { if [ -n "$HOST_PID" ]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; HOST_PID=""; fi; }
cleanup() { stop_host; for pid in "${TLS_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
for tool in dotnet openssl wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install -y wrk curl openssl; dotnet: https://dot.net)" >&2; exit 1; }
done

echo "Minting a CA and $MAX_ENDPOINTS TLS endpoints in $WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=CertGuard contrast CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -days 365 \
  -keyout "$WORK/ca-key.pem" -out "$WORK/ca.pem" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$WORK/leaf.ext"
for j in $(seq 0 $((MAX_ENDPOINTS - 1))); do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$WORK/tls-key-$j.pem" -out "$WORK/tls-$j.csr" 2>/dev/null
  openssl x509 -req -in "$WORK/tls-$j.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca-key.pem" -CAcreateserial -days 90 \
    -extfile "$WORK/leaf.ext" -out "$WORK/tls-$j.pem" 2>/dev/null
  cat "$WORK/tls-$j.pem" "$WORK/ca.pem" >"$WORK/tls-chain-$j.pem"
  # -www answers "GET /" with the server's own counters: how many handshakes it finished, how many were resumptions.
  openssl s_server -quiet -accept "127.0.0.1:$((FIRST_TLS_PORT + j))" -cert "$WORK/tls-chain-$j.pem" \
    -key "$WORK/tls-key-$j.pem" -www >/dev/null 2>&1 &
  TLS_PIDS+=($!)
done

dotnet build -c Release "$ROOT/benchmarks/CertGuard.Benchmarks" -v quiet -nologo >/dev/null
HOST_DLL="$ROOT/benchmarks/CertGuard.Benchmarks/bin/Release/net10.0/CertGuard.Benchmarks.dll"

# Sums "accepts that finished" and "session cache hits" over the first N endpoints. Reading the counters is itself a
# handshake on each endpoint (not a resumption); handshakes_between subtracts it.
counters() {
  local n=$1 finished=0 hits=0 page
  for j in $(seq 0 $((n - 1))); do
    page=$(curl -sk "https://127.0.0.1:$((FIRST_TLS_PORT + j))/")
    finished=$((finished + $(awk '/server accepts that finished/ { print $1 }' <<<"$page")))
    hits=$((hits + $(awk '/session cache hits/ { print $1 }' <<<"$page")))
  done
  echo "$finished $hits"
}

# One wrk run: path, requests/s, p50, p99, non-2xx, socket errors, then handshakes (full, resumed) received.
run() {
  local n=$1 path=$2 before after out
  before=$(counters "$n")
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "http://127.0.0.1:$PORT$path")
  after=$(counters "$n")
  read -r f0 h0 <<<"$before"
  read -r f1 h1 <<<"$after"
  local handshakes=$((f1 - f0 - n)) resumed=$((h1 - h0))
  awk -v n="$n" -v path="$path" -v hs="$handshakes" -v res="$resumed" -v dur="$DURATION" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { non2xx = $NF }
    /Socket errors/ { gsub(",", ""); socket = $4 + $6 + $8 + $10 }
    END { printf "| %d | %s | %s | %s | %s | %d | %d | %d | %d | %.0f |\n", n, path, rps, p50, p99, non2xx, socket, hs, res, hs / dur }' <<<"$out"
}

echo
echo "load average before: $(uptime | sed 's/.*load average: //')"
echo "| endpoints | path | requests/s | p50 | p99 | non-2xx | socket errors | handshakes received | of which resumed | handshakes/s |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $ENDPOINT_COUNTS; do
  list=$(for j in $(seq 0 $((n - 1))); do printf '127.0.0.1:%d,' $((FIRST_TLS_PORT + j)); done)
  dotnet "$HOST_DLL" serve-contrast --urls "http://127.0.0.1:$PORT" --endpoints "${list%,}" --roots "$WORK/ca.pem" \
    --Logging:LogLevel:Default=Warning >"$WORK/host-$n.log" 2>&1 &
  HOST_PID=$!
  # Until the monitor has handshaken every endpoint once (before that, CertGuard answers Degraded: not yet checked).
  for _ in $(seq 1 120); do
    [ "$(curl -s "http://127.0.0.1:$PORT/health")" = Healthy ] && break
    sleep 0.5
  done
  for path in /health /health/handshake; do
    code=$(curl -s -o "$WORK/answer" -w '%{http_code}' "http://127.0.0.1:$PORT$path")
    [ "$code" = 200 ] && [ "$(cat "$WORK/answer")" = Healthy ] || { echo "$path answered $code $(cat "$WORK/answer"); log:" >&2; cat "$WORK/host-$n.log" >&2; exit 1; }
  done
  for path in /alive /health /health/handshake; do  # warm-up
    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s --timeout 10s "http://127.0.0.1:$PORT$path" >/dev/null
  done
  for _ in $(seq 1 "$ROUNDS"); do
    run "$n" /alive
    run "$n" /health
    run "$n" /health/handshake
  done
  stop_host
done
echo "load average after: $(uptime | sed 's/.*load average: //')"
