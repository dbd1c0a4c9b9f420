#!/usr/bin/env bash
# /health under sustained load while the watched certificate files are rewritten and swapped.
#
# The quick-start sample (Release) watches FILES certificate files: most are plain files rewritten in place, K8S of them
# are reached through a Kubernetes-style secret volume (tls.crt -> ..data/tls.crt, ..data -> ..<version>, swapped with
# ln -sfn + mv -T as the kubelet's atomic writer does) and one through a certbot-style live/ link into archive/.
# While wrk hammers /health for DURATION seconds, a loop rotates certificates every INTERVAL seconds (a plain file and a
# secret each tick, the certbot link every 5th tick) from a pool minted beforehand, all valid for 60 days or more, so
# /health should never answer 503. Every 5 s the server's RSS, open file descriptors and threads go to a CSV.
#
# Pass: wrk saw no socket error and no non-2xx answer, and at the end /health/details shows, for every watched file,
# the thumbprint of the certificate the file now holds.
#
# Needs: dotnet, openssl, wrk and curl (apt-get install -y wrk curl openssl).
# Usage: [DURATION=180] [FILES=50] [K8S=15] [INTERVAL=1] [CONNECTIONS=32] [OUT=dir] benchmarks/CertGuard.Benchmarks/load/health-under-rotation.sh
set -euo pipefail

DURATION="${DURATION:-180}"
FILES="${FILES:-50}"
K8S="${K8S:-15}"
PLAIN=$((FILES - K8S - 1))
INTERVAL="${INTERVAL:-1}"
CONNECTIONS="${CONNECTIONS:-32}"
POOL="${POOL:-24}"
PORT="${PORT:-5081}"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
WORK="$(mktemp -d -t certguard-rotation-XXXXXX)"
OUT="${OUT:-$WORK/results}"
mkdir -p "$OUT"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "$OUT" = "$WORK/results" ] && echo "Results were in $OUT (removed); set OUT=dir to keep them."
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in dotnet openssl wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install -y wrk curl openssl; dotnet: https://dot.net)" >&2; exit 1; }
done
[ "$PLAIN" -ge 1 ] || { echo "FILES must exceed K8S + 1" >&2; exit 1; }

echo "Minting a pool of $POOL certificates in $WORK/pool"
mkdir -p "$WORK/pool"
for k in $(seq 0 $((POOL - 1))); do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=pool-$k.example" \
    -addext "subjectAltName=DNS:pool-$k.example" -addext "basicConstraints=critical,CA:FALSE" -days $((60 + 7 * k)) \
    -keyout "$WORK/pool/$k.key" -out "$WORK/pool/$k.pem" 2>/dev/null
  openssl x509 -in "$WORK/pool/$k.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' >"$WORK/pool/$k.sha256"
done

# Where each watched file lives and which pool certificate it holds now.
PATHS=(); HOLDS=()
ARGS=(--urls "http://127.0.0.1:$PORT" --Logging:LogLevel:Default=Warning --Logging:LogLevel:CertGuard=Debug)
add() { local i=${#PATHS[@]}; PATHS+=("$1"); HOLDS+=("$2"); ARGS+=("--CertGuard:Certificates:$i:Path=$1"); }

mkdir -p "$WORK/plain"
for i in $(seq 0 $((PLAIN - 1))); do
  k=$((i % POOL)); cp "$WORK/pool/$k.pem" "$WORK/plain/cert-$i.pem"; add "$WORK/plain/cert-$i.pem" "$k"
done
for s in $(seq 0 $((K8S - 1))); do
  dir="$WORK/k8s/secret-$s"; k=$(((PLAIN + s) % POOL))
  mkdir -p "$dir/..v0"; cp "$WORK/pool/$k.pem" "$dir/..v0/tls.crt"
  ln -s ..v0 "$dir/..data"; ln -s ..data/tls.crt "$dir/tls.crt"
  add "$dir/tls.crt" "$k"
done
CERTBOT_INDEX=${#PATHS[@]}
mkdir -p "$WORK/letsencrypt/archive/example.org" "$WORK/letsencrypt/live/example.org"
k=$(((PLAIN + K8S) % POOL)); cp "$WORK/pool/$k.pem" "$WORK/letsencrypt/archive/example.org/cert1.pem"
ln -s ../../archive/example.org/cert1.pem "$WORK/letsencrypt/live/example.org/cert.pem"
add "$WORK/letsencrypt/live/example.org/cert.pem" "$k"

dotnet build -c Release "$ROOT/samples/CertGuard.Samples.WebApi" -v quiet -nologo >/dev/null
dotnet "$ROOT/samples/CertGuard.Samples.WebApi/bin/Release/net10.0/CertGuard.Samples.WebApi.dll" "${ARGS[@]}" >"$OUT/sample.log" 2>&1 &
SERVER=$!
PIDS+=($SERVER)

echo "Waiting for the first refresh of all $FILES files"
checked=0
for _ in $(seq 1 120); do
  checked=$(curl -s "http://127.0.0.1:$PORT/health/details" | grep -c '"checked": true' || true)
  [ "$checked" = "$FILES" ] && break
  sleep 0.5
done
[ "$checked" = "$FILES" ] || { echo "only $checked of $FILES files were checked; log in $OUT/sample.log" >&2; exit 1; }
echo "/health says: $(curl -s "http://127.0.0.1:$PORT/health")"
echo "load average at start: $(uptime | sed 's/.*load average: //')"

# Puts pool certificate $2 into watched file $1 the way that file's kind of deployment does it.
rotate() {
  local i=$1 k=$2 path=${PATHS[$1]} dir version
  if [ "$i" -lt "$PLAIN" ]; then
    cat "$WORK/pool/$k.pem" >"$path"                        # rewritten in place (truncate, then write)
  elif [ "$i" -lt "$CERTBOT_INDEX" ]; then
    dir=$(dirname "$path"); version="..v$TICK"              # the kubelet's atomic writer
    mkdir "$dir/$version"; cp "$WORK/pool/$k.pem" "$dir/$version/tls.crt"
    local old; old=$(readlink "$dir/..data")
    ln -sfn "$version" "$dir/..data_tmp"; mv -T "$dir/..data_tmp" "$dir/..data"
    rm -rf "${dir:?}/$old"
  else
    local n=$((TICK + 2)) live="$WORK/letsencrypt/live/example.org"   # certbot: new archive file, link renamed over
    cp "$WORK/pool/$k.pem" "$WORK/letsencrypt/archive/example.org/cert$n.pem"
    ln -sfn "../../archive/example.org/cert$n.pem" "$live/cert.pem.tmp"; mv -T "$live/cert.pem.tmp" "$live/cert.pem"
  fi
  HOLDS[$i]=$k
}

echo "seconds,rss_kib,rss_peak_kib,fds,threads" >"$OUT/memory.csv"
sample_memory() {
  local start=$1
  while kill -0 "$SERVER" 2>/dev/null; do
    awk -v t=$(($(date +%s) - start)) -v fds="$(ls /proc/"$SERVER"/fd | wc -l)" '
      /^VmRSS/ { rss = $2 } /^VmHWM/ { hwm = $2 } /^Threads/ { threads = $2 }
      END { print t "," rss "," hwm "," fds "," threads }' "/proc/$SERVER/status" >>"$OUT/memory.csv"
    sleep 5
  done
}
# What /health answered, twice a second, besides wrk's own count of non-2xx answers.
watch_answers() {
  while kill -0 "$SERVER" 2>/dev/null; do
    curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$PORT/health" >>"$OUT/answers.txt" || echo error >>"$OUT/answers.txt"
    curl -s "http://127.0.0.1:$PORT/health" >>"$OUT/statuses.txt"; echo >>"$OUT/statuses.txt"
    sleep 0.5
  done
}

START=$(date +%s)
sample_memory "$START" & PIDS+=($!)
watch_answers & PIDS+=($!)
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "http://127.0.0.1:$PORT/health" >"$OUT/wrk.txt" &
WRK=$!
PIDS+=($WRK)

echo "Rotating for $DURATION s while wrk -t2 -c$CONNECTIONS polls /health"
TICK=0; ROTATIONS=0
while kill -0 "$WRK" 2>/dev/null; do
  TICK=$((TICK + 1))
  rotate $((TICK % PLAIN)) $(((TICK * 5 + 1) % POOL)); ROTATIONS=$((ROTATIONS + 1))
  rotate $((PLAIN + TICK % K8S)) $(((TICK * 7 + 3) % POOL)); ROTATIONS=$((ROTATIONS + 1))
  if [ $((TICK % 5)) = 0 ]; then rotate "$CERTBOT_INDEX" $(((TICK * 3 + 2) % POOL)); ROTATIONS=$((ROTATIONS + 1)); fi
  sleep "$INTERVAL"
done
wait "$WRK" || true
END=$(date +%s)
echo "load average at end: $(uptime | sed 's/.*load average: //')"
sleep 6   # past the fingerprint poll (2 s) and the debounce (250 ms), so the last rotations are seen

# Every watched file's thumbprint in /health/details against the certificate it now holds.
curl -s "http://127.0.0.1:$PORT/health/details" >"$OUT/details.json"
awk '/"name": "/ { split($0, a, "\""); name = a[4] } /"thumbprint": "/ { split($0, a, "\""); print name, a[4] }' \
  "$OUT/details.json" >"$OUT/seen.txt"
mismatched=0
for i in "${!PATHS[@]}"; do
  expected=$(cat "$WORK/pool/${HOLDS[$i]}.sha256")
  seen=$(awk -v p="${PATHS[$i]}" '$1 == p { print $2 }' "$OUT/seen.txt")
  if [ "${seen^^}" != "${expected^^}" ]; then
    mismatched=$((mismatched + 1)); echo "MISSED: ${PATHS[$i]} shows ${seen:-nothing}, holds pool/${HOLDS[$i]} ($expected)"
  fi
done

echo
echo "== wrk (/health, ${DURATION} s, $CONNECTIONS connections)"
cat "$OUT/wrk.txt"
non2xx=$(awk '/Non-2xx/ { print $NF }' "$OUT/wrk.txt"); non2xx=${non2xx:-0}
socket=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$OUT/wrk.txt"); socket=${socket:-0}
echo "== rotations: $ROTATIONS in $((END - START)) s ($TICK ticks)"
echo "== monitor log: $(grep -c 'changed; refreshing' "$OUT/sample.log" || true) change-triggered refreshes," \
  "$(grep -c 'refreshed in' "$OUT/sample.log" || true) refreshes," \
  "$(grep -c 'could not be refreshed' "$OUT/sample.log" || true) failed refreshes (kept the last good result)," \
  "$(grep -c 'is Unhealthy' "$OUT/sample.log" || true) Unhealthy transitions"
echo "== /health sampled twice a second: $(sort "$OUT/answers.txt" | uniq -c | tr '\n' ' ')/ $(sort "$OUT/statuses.txt" | uniq -c | tr '\n' ' ')"
echo "== memory every 5 s ($OUT/memory.csv): seconds, RSS KiB, peak RSS KiB, open fds, threads"
awk -F, -v half=$((DURATION / 2)) 'NR > 1 {
    n++; t[n] = $1; r[n] = $2; if (n == 1) first = $2; last = $2; if ($2 > max) max = $2
    if ($4 > maxfd) maxfd = $4; if (n == 1) firstfd = $4; lastfd = $4
  }
  function slope(from,   i, c, st, sr, stt, str) {
    for (i = 1; i <= n; i++) if (t[i] >= from) { c++; st += t[i]; sr += r[i]; stt += t[i] * t[i]; str += t[i] * r[i] }
    return c > 1 ? (c * str - st * sr) / (c * stt - st * st) * 60 : 0
  }
  END {
    printf "RSS first %.1f MiB, last %.1f MiB, max %.1f MiB; slope %.0f KiB/min over the run, %.0f KiB/min over the second half\n",
      first / 1024, last / 1024, max / 1024, slope(0), slope(half)
    printf "open fds first %d, last %d, max %d\n", firstfd, lastfd, maxfd
  }' "$OUT/memory.csv"
echo "== monitor saw the last rotation of $((FILES - mismatched)) of $FILES files"

if [ "$non2xx" != 0 ] || [ "$socket" != 0 ] || [ "$mismatched" != 0 ]; then
  echo "FAIL: $non2xx non-2xx answers, $socket socket errors, $mismatched files whose last rotation was missed"; exit 1
fi
echo "PASS: 0 non-2xx answers, 0 socket errors, every rotation seen"
